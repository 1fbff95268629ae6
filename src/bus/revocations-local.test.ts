import { describe, expect, it } from 'vitest';
import { asRoomId, asUserId } from '../domain/ids.ts';
import { LocalRevocations } from './revocations-local.ts';
import { runRevocationsContract } from './revocations-contract.test-helper.ts';
import type { Revocation } from './revocations.ts';

const fail = (err: unknown): void => {
  throw err;
};

runRevocationsContract('local', async (now, keepMs) => {
  const one = new LocalRevocations({ now, keepMs, onError: fail });
  return { nodes: [one, one], join: async () => one, close: () => one.close() };
});

describe('LocalRevocations', () => {
  it('forgets revocations older than the tokens’ lifetime, so memory holds only the last minute', () => {
    let now = 0;
    const r = new LocalRevocations({ now: () => now, keepMs: 60_000, onError: fail });
    for (let i = 0; i < 100; i++) {
      now = i * 1000;
      r.revoke({ roomId: asRoomId('room'), userId: asUserId(`u${i}`), at: now, cause: 'removed' });
    }
    expect(r.size).toBe(60);
  });

  it('reports a subscriber that throws and still tells the others', () => {
    const errors: unknown[] = [];
    const r = new LocalRevocations({ now: () => 0, keepMs: 60_000, onError: (err) => errors.push(err) });
    const heard: Revocation[] = [];
    r.subscribe(() => {
      throw new Error('broken subscriber');
    });
    r.subscribe((x) => heard.push(x));
    r.revoke({ roomId: asRoomId('room'), userId: asUserId('eve'), at: 0, cause: 'blocked' });
    expect(errors).toHaveLength(1);
    expect(heard).toHaveLength(1);
  });
});
