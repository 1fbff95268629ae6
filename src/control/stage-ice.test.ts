import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HOST, LISTENER, newRoom } from '../domain/room-fixtures.ts';
import { StageIce, turnCredential } from './stage-ice.ts';

const TURN = { urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'], secret: 'a shared secret of some length', ttlS: 3600 };

describe('StageIce', () => {
  it('signs `expiry:userId` with HMAC-SHA1 of the shared secret, as coturn checks it (openssl agrees)', () => {
    const c = turnCredential(TURN.secret, 'u42', 1_700_000_000_500, 3600);
    expect(c.username).toBe('1700003600:u42');
    expect(c.expiresAt).toBe(1_700_003_600_000);
    const openssl = spawnSync('sh', ['-c', `printf '%s' '${c.username}' | openssl dgst -sha1 -hmac '${TURN.secret}' -binary | base64`], { encoding: 'utf8' });
    expect(openssl.status).toBe(0);
    expect(c.credential).toBe(openssl.stdout.trim());
  });

  it('gives each stage member every TURN URL with a credential of their own, expiring after the TTL', () => {
    const ice = new StageIce(TURN, () => 2_000_000_000_000);
    const cfg = ice.forMember(newRoom(), HOST);
    expect(cfg.expiresAt).toBe(2_000_000_000_000 + 3_600_000);
    expect(cfg.iceServers).toEqual([{ urls: TURN.urls, username: `${2_000_000_000 + 3600}:${HOST}`, credential: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/) }]);
  });

  it('refuses anyone off the stage with not_on_stage, and hands no servers when the operator runs no TURN', () => {
    const ice = new StageIce(TURN, () => 0);
    expect(() => ice.forMember(newRoom(), LISTENER)).toThrow(expect.objectContaining({ code: 'not_on_stage' }));
    expect(() => ice.forMember(undefined, HOST)).toThrow(expect.objectContaining({ code: 'not_on_stage' }));
    expect(new StageIce(null, () => 0).forMember(newRoom(), HOST)).toEqual({ iceServers: [], expiresAt: null });
  });
});
