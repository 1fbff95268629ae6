import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import { DeliveryError } from './delivery-error.ts';
import { signJoinToken, verifyJoinToken } from './join-token.ts';
import { asStreamId } from './stream-id.ts';

const SECRET = 'a-test-secret-that-is-32-bytes-long!!';
const claims = { streamId: asStreamId('stream-1'), userId: 'u-42', issuedAt: 940_000, expiresAt: 1_000_000 };

describe('join tokens', () => {
  it('verify on any node holding the secret and give back the claims', () => {
    const token = signJoinToken(SECRET, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyJoinToken(SECRET, token, 999_999)).toEqual({ ok: true, claims });
    const anonymous = signJoinToken(SECRET, { ...claims, userId: null });
    expect(verifyJoinToken(SECRET, anonymous, 0)).toEqual({ ok: true, claims: { ...claims, userId: null } });
  });

  it('are refused as expired from their expiry instant on', () => {
    const token = signJoinToken(SECRET, claims);
    expect(verifyJoinToken(SECRET, token, 1_000_000)).toEqual({ ok: false, code: 'expired' });
  });

  it('are refused as bad when any character of payload or mac changes, or the secret differs', () => {
    const token = signJoinToken(SECRET, claims);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const swapped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      const verdict = verifyJoinToken(SECRET, swapped, 0);
      // The last mac character carries 2 padding bits base64url decoders ignore; every other change must fail.
      if (i === token.length - 1 && verdict.ok) continue;
      expect(verdict).toEqual({ ok: false, code: 'bad_token' });
    }
    expect(verifyJoinToken(`${SECRET}x`, token, 0)).toEqual({ ok: false, code: 'bad_token' });
  });

  it('are refused as bad when malformed, oversized, or validly signed over claims of the wrong shape', () => {
    for (const junk of ['', '.', 'abc', 'abc.def', `${'a'.repeat(2000)}.${'b'.repeat(43)}`]) {
      expect(verifyJoinToken(SECRET, junk, 0)).toEqual({ ok: false, code: 'bad_token' });
    }
    const forge = (json: string): string => {
      const payload = Buffer.from(json).toString('base64url');
      return `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    };
    // version 1 had no issue time: a node cannot tell whether it came before a removal, so it is refused
    for (const json of ['{}', '[1,"s",null,5]', '[3,"s",null,1,5]', '[2,"",null,1,5]', '[2,"s",7,1,5]', '[2,"s",null,1,"5"]', '[2,"s",null,"1",5]', 'not json']) {
      expect(verifyJoinToken(SECRET, forge(json), 0)).toEqual({ ok: false, code: 'bad_token' });
    }
    expect(verifyJoinToken(SECRET, forge('[2,"s",null,1,5]'), 0)).toMatchObject({ ok: true, claims: { issuedAt: 1, expiresAt: 5 } });
  });

  it('refuse to work with a secret shorter than 32 bytes', () => {
    expect(() => signJoinToken('short', claims)).toThrow(DeliveryError);
    expect(() => verifyJoinToken('short', 'a.b', 0)).toThrow(DeliveryError);
  });
});
