/**
 * Failed sign-ins, on SQLite and on PostgreSQL (control/sign-in-guard.ts): the counts live in the store,
 * so a restart keeps a lock-out; and a guesser cannot lock the owner out: an address that keeps failing
 * waits, while the owner signing in from an address that has not failed gets in, even when many
 * addresses are guessing the account. Other addresses are other loopback addresses (127.0.0.x).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/amphi-server.ts';
import { STORE_KINDS, storeServers } from './support/store-servers.ts';

const PASSWORD = 'a good long password';

/** POST /api/sessions from `from` (a local address); resolves with the status */
function signIn(port: number, from: string, handle: string, password: string): Promise<number> {
  const body = JSON.stringify({ handle, password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, localAddress: from, method: 'POST', path: '/api/sessions', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(STORE_KINDS)('on %s', async (kind) => {
  const servers = await storeServers(kind, 'signin');
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await servers.cleanUp();
  });

  it.skipIf(!servers.available)('keeps a lock-out across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amphi-signin-'));
    dirs.push(dataDir);
    const first = await servers.start({ dataDir });
    await new ApiClient(first.url).signUp('kept_out');
    const wrong = [];
    for (let i = 0; i < 6; i++) wrong.push(await signIn(first.port, '127.0.0.1', 'kept_out', 'not the password'));
    expect(wrong).toEqual([401, 401, 401, 401, 401, 429]);
    await first.dispose();
    const second = await servers.start({ dataDir, ...(first.schema !== null && { schema: first.schema }) });
    try {
      expect(await signIn(second.port, '127.0.0.1', 'kept_out', PASSWORD)).toBe(429);
    } finally {
      await second.dispose();
    }
  });

  it.skipIf(!servers.available)('lets the owner in from a clean address while the addresses guessing the account wait', async () => {
    const server = await servers.start();
    try {
      await new ApiClient(server.url).signUp('the_victim');
      const attacker = [];
      for (let i = 0; i < 8; i++) attacker.push(await signIn(server.port, '127.0.0.2', 'the_victim', `guess number ${i}`));
      expect(attacker).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      // many addresses, one guess each: the account is now guessed from everywhere
      for (let n = 10; n < 16; n++) expect(await signIn(server.port, `127.0.0.${n}`, 'the_victim', 'one more guess')).toBe(401);
      // an address that already failed on it waits now; a fresh one still gets its one check
      expect(await signIn(server.port, '127.0.0.10', 'the_victim', 'second guess')).toBe(429);
      expect(await signIn(server.port, '127.0.0.3', 'the_victim', PASSWORD)).toBe(200);
      expect(await signIn(server.port, '127.0.0.2', 'the_victim', PASSWORD)).toBe(429);
    } finally {
      await server.dispose();
    }
  });
});
