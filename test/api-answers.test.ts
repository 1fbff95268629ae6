/**
 * @module test/api-answers — answers where the server and its OpenAPI document used to disagree: the
 * server now says what the document says (a 204 without a Content-Type, `cannot_target_self` for
 * following or blocking yourself, the not-found code of the path for an over-long id), and the document
 * accepts what the server accepts (handles of either case); and a room's answer shows presence as it is
 * (a speaker brought up over HTTP is not connected until their room socket opens).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { RoomSocket } from './support/room-socket-client.ts';

interface ErrorJson {
  error: { code: string };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

describe('answers the document describes', () => {
  it('signs out with a 204 that has no Content-Type and no body', async () => {
    const api = new ApiClient(server.url);
    await api.signUp('answers_out');
    const r = await api.call('DELETE', '/api/sessions/current');
    expect(r.status).toBe(204);
    expect(r.headers.get('content-type')).toBeNull();
    expect(r.body).toBeNull();
  });

  it.each(['follow', 'block'])('refuses to %s yourself with 400 cannot_target_self', async (what) => {
    const api = new ApiClient(server.url);
    await api.signUp(`self_${what}`);
    for (const method of ['PUT', 'DELETE']) {
      const r = await api.call<ErrorJson>(method, `/api/users/self_${what}/${what}`);
      expect(r.status, method).toBe(400);
      expect(r.body.error.code, method).toBe('cannot_target_self');
    }
  });

  it('answers an over-long room id with 404 room_not_found and an over-long handle with 404 user_not_found', async () => {
    const api = new ApiClient(server.url);
    await api.signUp('answers_long');
    const long = 'x'.repeat(65);
    for (const path of [`/api/rooms/${long}`, `/api/rooms/${long}/listen`, `/api/rooms/${long}/audit`]) {
      const r = await api.call<ErrorJson>('GET', path);
      expect([r.status, r.body.error.code], path).toEqual([404, 'room_not_found']);
    }
    for (const [method, path] of [['GET', `/api/users/${long}`], ['PUT', `/api/users/${long}/follow`]] as const) {
      const r = await api.call<ErrorJson>(method, path);
      expect([r.status, r.body.error.code], path).toEqual([404, 'user_not_found']);
    }
  });

  it("declares the handle pattern the server applies: a mixed-case handle matches it and keeps its case", async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: { handle: { pattern: string } } } }> } }>>;
    };
    const pattern = doc.paths['/api/accounts']?.['post']?.requestBody.content['application/json']?.schema.properties.handle.pattern ?? '';
    // JSON Schema patterns carry no flags: what the document says is what a generated client checks
    expect(new RegExp(pattern, 'u').test('MixedCase_7')).toBe(true);
    expect(new RegExp(pattern, 'u').test('no spaces')).toBe(false);
    const api = new ApiClient(server.url);
    const r = await api.call<{ user: { handle: string } }>('POST', '/api/accounts', { handle: 'MixedCase_7', displayName: 'M', password: 'a good long password' });
    expect(r.status).toBe(201);
    expect(r.body.user.handle).toBe('MixedCase_7');
  });
});

describe('presence in the answer of an action', () => {
  interface StageJson {
    room: { stage: { user: { handle: string }; connected: boolean }[] };
  }
  const seat = (r: { body: StageJson }, handle: string) => r.body.room.stage.find((m) => m.user.handle === handle);

  it('shows a speaker who accepted over HTTP without a room socket as not connected, and connected once their socket opens', async () => {
    const host = new ApiClient(server.url);
    await host.signUp('presence_host');
    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Presence' })).body.room.id;
    const bob = new ApiClient(server.url);
    const bobId = await bob.signUp('presence_bob');
    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'invite', target: bobId })).status).toBe(200);
    const accepted = await bob.call<StageJson>('POST', `/api/rooms/${roomId}/actions`, { type: 'acceptInvite' });
    expect(accepted.status).toBe(200);
    expect(seat(accepted, 'presence_bob')).toMatchObject({ connected: false });
    const socket = await RoomSocket.open(server.url, roomId, bob.cookie);
    await expect.poll(async () => seat(await bob.call<StageJson>('GET', `/api/rooms/${roomId}`), 'presence_bob')?.connected).toBe(true);
    socket.close();
  });

  it('shows a speaker who accepted with their room socket open as connected in the very answer', async () => {
    const host = new ApiClient(server.url);
    await host.signUp('presence_host2');
    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Presence' })).body.room.id;
    const carol = new ApiClient(server.url);
    const carolId = await carol.signUp('presence_carol');
    const socket = await RoomSocket.open(server.url, roomId, carol.cookie);
    await socket.waitFor((m) => m.type === 'me');
    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'invite', target: carolId })).status).toBe(200);
    const accepted = await carol.call<StageJson>('POST', `/api/rooms/${roomId}/actions`, { type: 'acceptInvite' });
    expect(seat(accepted, 'presence_carol')).toMatchObject({ connected: true });
    socket.close();
  });
});
