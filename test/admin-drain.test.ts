/**
 * The operators' drain call on one node: without AMPHI_ADMIN_TOKEN it does not exist (404), a missing
 * or wrong bearer token is 401 with a body that names neither token, a short token stops the start
 * with one clear line, and a single node, with nowhere to send its listeners, answers 409 single_node
 * and keeps them. The drain itself, across processes, is in test/cluster-edges.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { ProgramListener } from './support/program-listener.ts';

const TOKEN = 'an-operators-token-long-enough-0123456789';

const drainWith = (base: string, authorization: string | null) =>
  fetch(`${base}/api/admin/drain`, { method: 'POST', headers: authorization === null ? {} : { authorization } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } }));

describe('the admin drain call on a single node', () => {
  let withToken: TestServer;
  let without: TestServer;
  beforeAll(async () => {
    [withToken, without] = await Promise.all([startTestServer({ autoTick: true, env: { AMPHI_ADMIN_TOKEN: TOKEN } }), startTestServer()]);
  });
  afterAll(async () => {
    await Promise.all([withToken.dispose(), without.dispose()]);
  });

  it('does not exist without a token configured', async () => {
    const r = await drainWith(without.url, `Bearer ${TOKEN}`);
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe('not_found');
  });

  it('refuses a missing, wrong or malformed token with 401, never echoing it', async () => {
    for (const auth of [null, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const r = await drainWith(withToken.url, auth);
      expect(r.status, String(auth)).toBe(401);
      expect(r.body.error?.code).toBe('unauthorized');
      expect(JSON.stringify(r.body)).not.toContain(TOKEN);
    }
  });

  it('answers 409 single_node with the right token, and the listeners stay', async () => {
    const host = new ApiClient(withToken.url);
    await host.signUp('drain_host');
    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Nowhere to go' })).body.room.id;
    await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
    const l = await ProgramListener.open(withToken.url, roomId, null);
    const r = await drainWith(withToken.url, `Bearer ${TOKEN}`);
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('single_node');
    await new Promise((res) => setTimeout(res, 300));
    expect(l.closed).toBeNull();
    l.ws.close();
  });

  it('refuses a short token or one with spaces at start, naming the setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amphi-admin-'));
    for (const bad of ['short', `${TOKEN} with spaces`]) {
      let thrown: unknown = null;
      try {
        loadConfig({ AMPHI_DATA_DIR: dir, AMPHI_ADMIN_TOKEN: bad });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).variable).toBe('AMPHI_ADMIN_TOKEN');
    }
    expect(loadConfig({ AMPHI_DATA_DIR: dir, AMPHI_ADMIN_TOKEN: TOKEN }).adminToken).toBe(TOKEN);
  });
});
