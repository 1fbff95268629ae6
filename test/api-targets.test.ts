/** Actions aimed at a person must name a real account: made-up ids never enter a room's lists or its audit log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';

describe('actions on a person', () => {
  let server: TestServer;
  let host: ApiClient;
  let roomId: string;
  beforeAll(async () => {
    server = await startTestServer();
    host = new ApiClient(server.url);
    await host.signUp('targets_host');
    const made = await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Targets' });
    roomId = made.body.room.id;
  });
  afterAll(() => server.dispose());

  it.each([
    { type: 'invite', target: 'no-such-user' },
    { type: 'remove', target: 'no-such-user', reason: 'x' },
    { type: 'report', target: 'no-such-user', reason: 'spam' },
    { type: 'muteMember', target: 'no-such-user' },
  ])('refuses $type of an account that does not exist with 404 user_not_found and stores nothing', async (action) => {
    const before = await server.store.snapshot();
    const r = await host.call<{ error: { code: string } }>('POST', `/api/rooms/${roomId}/actions`, action);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('user_not_found');
    expect(await server.store.snapshot()).toEqual(before);
  });

  it('refuses an audit limit outside 1-1000 with 400 naming the field', async () => {
    for (const bad of ['-5', '0', '1001', 'many']) {
      const r = await host.call<{ error: { code: string; field?: string } }>('GET', `/api/rooms/${roomId}/audit?limit=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.field).toBe('limit');
    }
    expect((await host.call('GET', `/api/rooms/${roomId}/audit?limit=5`)).status).toBe(200);
  });
});
