import { describe, expect, it } from 'vitest';
import { asRoomId } from '../domain/ids.ts';
import { LocalPresence } from './presence-local.ts';
import { reportOf, runPresenceContract } from './presence-contract.test-helper.ts';

// a single node: it hears nobody, so everything elsewhere is 0 and its own numbers are the room's
runPresenceContract('local', async () => {
  const one = new LocalPresence();
  return { nodes: [one], ids: ['solo'], settle: async () => undefined, close: () => one.close() };
});

describe('LocalPresence', () => {
  it('keeps nothing it is told: a single node’s own report never comes back as someone else’s', () => {
    const p = new LocalPresence();
    p.publish(reportOf('solo', [[asRoomId('r'), { listeners: 9, audio: 9 }]]));
    expect(p.others()).toEqual([]);
    expect(p.listenersElsewhere(asRoomId('r'))).toBe(0);
  });
});
