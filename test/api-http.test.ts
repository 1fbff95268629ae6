/**
 * @module test/api-http — the HTTP API as a person meets it, against the real server on port 0 with its
 * own SQLite data: accounts and sessions, the transport's guards (body size, JSON, Origin, unknown
 * routes), and the room rules as they surface through HTTP statuses and codes. One behaviour per test;
 * time-dependent limits use the server's injected clock, never a sleep.
 */
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asRoomId } from '../src/domain/ids.ts';
import { ApiClient, startTestServer, type ApiResponse, type TestServer } from './support/amphi-server.ts';

type Json = Record<string, unknown>;
interface ErrorJson {
  error: { code: string; message: string; field?: string };
}
interface RoomJson {
  room: { id: string; status: string; stage: { user: { handle: string }; role: string; muted: boolean }[]; pins: { url: string }[] };
  me: { role: string; signedIn: boolean; handRaised: boolean; invited: boolean };
  hands?: { count: number };
}

const PASSWORD = 'a good long password';
const errorOf = (r: ApiResponse) => (r.body as ErrorJson).error;
const codeOf = (r: ApiResponse) => errorOf(r).code;

let server: TestServer;
let seq = 0;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

/** a new signed-up person with a fresh, unique handle */
async function person(prefix = 'p'): Promise<{ api: ApiClient; id: string; handle: string }> {
  const handle = `${prefix}${++seq}`;
  const api = new ApiClient(server.url);
  const id = await api.signUp(handle);
  return { api, id, handle };
}

async function createRoom(host: ApiClient, body: Json = { title: 'A room' }): Promise<string> {
  const r = await host.call<RoomJson>('POST', '/api/rooms', body);
  expect(r.status).toBe(201);
  return r.body.room.id;
}

const act = (api: ApiClient, roomId: string, action: Json) => api.call<RoomJson>('POST', `/api/rooms/${roomId}/actions`, action);

async function expectOk(r: Promise<ApiResponse<RoomJson>>): Promise<RoomJson> {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** host invites `who`, who accepts: they are a speaker now */
async function bringOnStage(host: ApiClient, roomId: string, who: { api: ApiClient; id: string }): Promise<void> {
  await expectOk(act(host, roomId, { type: 'invite', target: who.id }));
  await expectOk(act(who.api, roomId, { type: 'acceptInvite' }));
}

describe('accounts and sessions', () => {
  it('names the field at fault when a sign-up is invalid', async () => {
    const api = new ApiClient(server.url);
    const cases: [Json, string][] = [
      [{ handle: 'ok_handle', displayName: 'Ok', password: 'short' }, 'password'],
      [{ handle: 'no spaces!', displayName: 'Ok', password: PASSWORD }, 'handle'],
      [{ handle: 'ok_handle', displayName: '   ', password: PASSWORD }, 'displayName'],
    ];
    for (const [body, field] of cases) {
      const r = await api.call<ErrorJson>('POST', '/api/accounts', body);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'bad_request', field });
    }
    expect(api.cookie).toBeNull();
  });

  it('refuses a handle that differs from a taken one only in case with 409 handle_taken', async () => {
    await new ApiClient(server.url).signUp('Dana');
    const r = await new ApiClient(server.url).call<ErrorJson>('POST', '/api/accounts', { handle: 'dANA', displayName: 'Other', password: PASSWORD });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'handle_taken', field: 'handle' });
  });

  it('answers a wrong password with 401 bad_credentials and the right one with a session', async () => {
    const { handle } = await person('signin');
    const api = new ApiClient(server.url);
    const wrong = await api.call('POST', '/api/sessions', { handle, password: 'not the password' });
    expect([wrong.status, codeOf(wrong)]).toEqual([401, 'bad_credentials']);
    expect(api.cookie).toBeNull();
    const right = await api.call<{ user: { handle: string } }>('POST', '/api/sessions', { handle: handle.toUpperCase(), password: PASSWORD });
    expect(right.status).toBe(200);
    expect(right.body.user.handle).toBe(handle);
    expect((await api.call('GET', '/api/me')).status).toBe(200);
  });

  it('ends the session on the server when signing out, so the old cookie no longer works', async () => {
    const { api } = await person('out');
    const oldCookie = api.cookie ?? '';
    expect((await api.call('DELETE', '/api/sessions/current')).status).toBe(204);
    expect(api.cookie).toBeNull();
    const replay = await api.call('GET', '/api/me', undefined, { cookie: oldCookie });
    expect([replay.status, codeOf(replay)]).toEqual([401, 'unauthorized']);
  });

  it('answers /api/me with 401 unauthorized when signed out', async () => {
    const r = await new ApiClient(server.url).call('GET', '/api/me');
    expect([r.status, codeOf(r)]).toEqual([401, 'unauthorized']);
  });

  it('counts followers and following, and takes them back on unfollow', async () => {
    const fan = await person('fan');
    const star = await person('star');
    const followed = await fan.api.call<Json>('PUT', `/api/users/${star.handle}/follow`);
    expect(followed.status).toBe(200);
    expect(followed.body).toMatchObject({ followers: 1, following: 0, followedByMe: true });
    expect((await star.api.call<Json>('GET', `/api/users/${fan.handle}`)).body).toMatchObject({ followers: 0, following: 1, followedByMe: false });
    const unfollowed = await fan.api.call<Json>('DELETE', `/api/users/${star.handle}/follow`);
    expect(unfollowed.body).toMatchObject({ followers: 0, followedByMe: false });
    const self = await fan.api.call('PUT', `/api/users/${fan.handle}/follow`);
    expect([self.status, codeOf(self)]).toEqual([400, 'cannot_target_self']);
    const nobody = await fan.api.call('PUT', '/api/users/no_such_user/follow');
    expect([nobody.status, codeOf(nobody)]).toEqual([404, 'user_not_found']);
  });
});

describe('failed sign-in limits', () => {
  let own: TestServer | undefined;
  let now = Date.parse('2026-01-01T00:00:00Z');
  afterEach(async () => {
    await own?.dispose();
    own = undefined;
  });
  const signIn = (handle: string, password: string) => new ApiClient(own?.url ?? '').call('POST', '/api/sessions', { handle, password });

  it('refuses an account with 429 and Retry-After after 5 failures, until the window passes', async () => {
    own = await startTestServer({ now: () => now });
    await new ApiClient(own.url).signUp('erin');
    await new ApiClient(own.url).signUp('frank');
    for (let i = 0; i < 5; i++) expect((await signIn('erin', 'wrong password')).status).toBe(401);
    const limited = await signIn('ERIN', PASSWORD);
    expect([limited.status, codeOf(limited)]).toEqual([429, 'rate_limited']);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // the limit is per account: another account from the same address signs in
    expect((await signIn('frank', PASSWORD)).status).toBe(200);
    now += wait * 1000;
    expect((await signIn('erin', PASSWORD)).status).toBe(200);
  });

  it('refuses an address with 429 and Retry-After after 30 failures across accounts', async () => {
    own = await startTestServer({ now: () => now });
    await new ApiClient(own.url).signUp('gina');
    for (let i = 0; i < 30; i++) expect((await signIn(`nobody${i}`, 'wrong password')).status).toBe(401);
    const limited = await signIn('gina', PASSWORD);
    expect([limited.status, codeOf(limited)]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('what the transport refuses', () => {
  it('refuses a body over 64 KiB with 413 payload_too_large', async () => {
    const { api } = await person('big');
    const r = await api.call('POST', '/api/rooms', JSON.stringify({ title: 'x', description: 'a'.repeat(65 * 1024) }));
    expect([r.status, codeOf(r)]).toEqual([413, 'payload_too_large']);
  });

  it('after a 413 either closes the connection having said so, or answers the next request on it', async () => {
    const { api } = await person('big_socket');
    const port = Number(new URL(server.url).port);
    // a megabyte: the server stops reading it (a body just over the limit it would still drain)
    const body = JSON.stringify({ title: 'x', description: 'a'.repeat(1024 * 1024) });
    const head = (path: string, length: number) =>
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.url}\r\nCookie: ${api.cookie ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
    const second = JSON.stringify({ title: 'After the big one' });
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    // the server may reset the socket while the unread rest of the body is still arriving
    socket.on('error', () => undefined);
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(head('/api/rooms', Buffer.byteLength(body)) + body);
    await expect.poll(() => received).toMatch(/\r\n\r\n\{.*payload_too_large.*\}/s);
    const first = received.split('\r\n\r\n')[0] ?? '';
    expect(first).toMatch(/^HTTP\/1\.1 413/);
    if (/^connection: close$/im.test(first)) {
      await ended;
    } else {
      // the server promised keep-alive: the same socket must carry the next request
      socket.write(head('/api/rooms', Buffer.byteLength(second)) + second);
      await expect.poll(() => received.match(/HTTP\/1\.1 201/)?.[0], { timeout: 5000 }).toBe('HTTP/1.1 201');
      socket.destroy();
    }
  });

  it('refuses a body that is not JSON with 400 invalid_json', async () => {
    const { api } = await person('badjson');
    const r = await api.call('POST', '/api/rooms', '{"title": "unfinished');
    expect([r.status, codeOf(r)]).toEqual([400, 'invalid_json']);
  });

  it('refuses a body that is not sent as application/json with 415 unsupported_media_type and stores nothing', async () => {
    const { api } = await person('media');
    const before = await server.store.snapshot();
    const body = JSON.stringify({ title: 'Sent as a form' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/jsonx']) {
      const r = await api.call('POST', '/api/rooms', body, { 'content-type': type });
      expect([type, r.status, codeOf(r)]).toEqual([type, 415, 'unsupported_media_type']);
    }
    // bytes give fetch no Content-Type of its own: a body without one is refused too
    const bare = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { origin: server.url, cookie: api.cookie ?? '' }, body: new TextEncoder().encode(body) });
    expect([bare.status, ((await bare.json()) as ErrorJson).error.code]).toEqual([415, 'unsupported_media_type']);
    expect(await server.store.snapshot()).toEqual(before);
  });

  it('takes JSON with or without a UTF-8 charset, and a state-changing request with no body at all', async () => {
    const { api } = await person('media_ok');
    const other = await person('media_other');
    expect((await api.call('POST', '/api/rooms', JSON.stringify({ title: 'JSON' }), { 'content-type': 'Application/JSON; charset="UTF-8"' })).status).toBe(201);
    // follow has no body: no Content-Type is needed
    const follow = await fetch(`${server.url}/api/users/${other.handle}/follow`, { method: 'PUT', headers: { origin: server.url, cookie: api.cookie ?? '' } });
    expect(follow.status).toBe(200);
  });

  it('refuses a request from a foreign Origin with 403 bad_origin and stores nothing', async () => {
    const { api } = await person('origin');
    const before = await server.store.snapshot();
    const evil = { origin: 'https://evil.example' };
    const signUp = await new ApiClient(server.url).call('POST', '/api/accounts', { handle: 'mallory', displayName: 'M', password: PASSWORD }, evil);
    const create = await api.call('POST', '/api/rooms', { title: 'Not mine' }, evil);
    const signOut = await api.call('DELETE', '/api/sessions/current', undefined, evil);
    for (const r of [signUp, create, signOut]) expect([r.status, codeOf(r)]).toEqual([403, 'bad_origin']);
    expect(await server.store.snapshot()).toEqual(before);
    expect((await api.call('GET', '/api/me')).status).toBe(200);
  });

  it('answers an unknown API route with 404 not_found as JSON', async () => {
    const r = await new ApiClient(server.url).call('GET', '/api/nothing/here');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(codeOf(r)).toBe('not_found');
  });

  it('answers a room that does not exist with 404 room_not_found', async () => {
    const { api } = await person('lost');
    for (const r of [await api.call('GET', '/api/rooms/no-such-room'), await act(api, 'no-such-room', { type: 'goLive' })]) {
      expect([r.status, codeOf(r)]).toEqual([404, 'room_not_found']);
    }
  });
});

describe('rooms over HTTP', () => {
  it('seats at most 10 speakers: the 11th to accept an invitation gets 409 stage_full', async () => {
    const host = await person('full');
    const roomId = await createRoom(host.api);
    const guests = await Promise.all(Array.from({ length: 11 }, () => person('seat')));
    for (const g of guests) await expectOk(act(host.api, roomId, { type: 'invite', target: g.id }));
    for (const g of guests.slice(0, 10)) await expectOk(act(g.api, roomId, { type: 'acceptInvite' }));
    const last = guests[10];
    if (!last) throw new Error('eleven guests expected');
    const r = await act(last.api, roomId, { type: 'acceptInvite' });
    expect([r.status, codeOf(r)]).toEqual([409, 'stage_full']);
    const room = await host.api.call<RoomJson>('GET', `/api/rooms/${roomId}`);
    expect(room.body.room.stage.filter((m) => m.role === 'speaker')).toHaveLength(10);
  });

  it('refuses every action in an ended room with 410 room_ended', async () => {
    const host = await person('ender');
    const guest = await person('late');
    const roomId = await createRoom(host.api);
    await expectOk(act(host.api, roomId, { type: 'goLive' }));
    await expectOk(act(host.api, roomId, { type: 'end' }));
    const tries = [
      act(host.api, roomId, { type: 'goLive' }),
      act(host.api, roomId, { type: 'end' }),
      act(host.api, roomId, { type: 'invite', target: guest.id }),
      act(host.api, roomId, { type: 'pin', url: 'https://example.org/' }),
      act(guest.api, roomId, { type: 'requestToSpeak' }),
      act(guest.api, roomId, { type: 'react', reaction: '👏' }),
      host.api.call('PATCH', `/api/rooms/${roomId}`, { title: 'Again' }),
    ];
    for (const r of await Promise.all(tries)) expect([r.status, codeOf(r)]).toEqual([410, 'room_ended']);
  });

  it("refuses a listener's muteMember with 403 not_a_host", async () => {
    const host = await person('mh');
    const speaker = await person('ms');
    const listener = await person('ml');
    const roomId = await createRoom(host.api);
    await bringOnStage(host.api, roomId, speaker);
    await expectOk(act(speaker.api, roomId, { type: 'unmute' }));
    const r = await act(listener.api, roomId, { type: 'muteMember', target: speaker.id });
    expect([r.status, codeOf(r)]).toEqual([403, 'not_a_host']);
    const room = await host.api.call<RoomJson>('GET', `/api/rooms/${roomId}`);
    expect(room.body.room.stage.find((m) => m.user.handle === speaker.handle)?.muted).toBe(false);
  });

  it('lets a signed-out person read a room but answers any action with 401', async () => {
    const host = await person('open');
    const roomId = await createRoom(host.api);
    await expectOk(act(host.api, roomId, { type: 'goLive' }));
    const anon = new ApiClient(server.url);
    const read = await anon.call<RoomJson>('GET', `/api/rooms/${roomId}`);
    expect(read.status).toBe(200);
    expect(read.body.me).toMatchObject({ role: 'listener', signedIn: false });
    expect(read.body.hands).toBeUndefined();
    for (const action of [{ type: 'react', reaction: '👏' }, { type: 'requestToSpeak' }, { type: 'end' }]) {
      const r = await act(anon, roomId, action);
      expect([r.status, codeOf(r)]).toEqual([401, 'unauthorized']);
    }
  });

  it('keeps a removed person out of the room: reading it is 403 removed_from_room', async () => {
    const host = await person('rh');
    const troll = await person('troll');
    const roomId = await createRoom(host.api);
    expect((await troll.api.call('GET', `/api/rooms/${roomId}`)).status).toBe(200);
    await expectOk(act(host.api, roomId, { type: 'remove', target: troll.id, reason: 'spam' }));
    const r = await troll.api.call('GET', `/api/rooms/${roomId}`);
    expect([r.status, codeOf(r)]).toEqual([403, 'removed_from_room']);
  });

  it('keeps a blocked person out of rooms the blocker hosts, and only those', async () => {
    const host = await person('bh');
    const other = await person('oh');
    const blocked = await person('bl');
    const hostsRoom = await createRoom(host.api);
    const othersRoom = await createRoom(other.api);
    expect((await host.api.call('PUT', `/api/users/${blocked.handle}/block`)).status).toBe(200);
    const r = await blocked.api.call('GET', `/api/rooms/${hostsRoom}`);
    expect([r.status, codeOf(r)]).toEqual([403, 'blocked_by_host']);
    expect((await blocked.api.call('GET', `/api/rooms/${othersRoom}`)).status).toBe(200);
    expect((await host.api.call('DELETE', `/api/users/${blocked.handle}/block`)).status).toBe(200);
    expect((await blocked.api.call('GET', `/api/rooms/${hostsRoom}`)).status).toBe(200);
  });

  it("lets only people the host follows raise a hand under the 'followed' policy", async () => {
    const host = await person('fh');
    const friend = await person('friend');
    const stranger = await person('stranger');
    const roomId = await createRoom(host.api, { title: 'Friends only', speakerPolicy: 'followed' });
    await expectOk(act(host.api, roomId, { type: 'goLive' }));
    await host.api.call('PUT', `/api/users/${friend.handle}/follow`);
    const refused = await act(stranger.api, roomId, { type: 'requestToSpeak' });
    expect([refused.status, codeOf(refused)]).toEqual([403, 'policy_forbids_request']);
    expect((await expectOk(act(friend.api, roomId, { type: 'requestToSpeak' }))).me.handRaised).toBe(true);
    expect((await host.api.call<RoomJson>('GET', `/api/rooms/${roomId}`)).body.hands).toEqual({ count: 1 });
    const queue = await host.api.call<{ hands: { user: { handle: string }; tier: string }[] }>('GET', `/api/rooms/${roomId}/hands`);
    // the host follows them: first in the host's order
    expect(queue.body.hands.map((q) => [q.user.handle, q.tier])).toEqual([[friend.handle, 'followed']]);
  });

  it('stores reports with who reported whom and why', async () => {
    const host = await person('rep');
    const reporter = await person('reporter');
    const roomId = await createRoom(host.api);
    await expectOk(act(reporter.api, roomId, { type: 'report', target: host.id, reason: '  off-topic shouting  ' }));
    await expectOk(act(reporter.api, roomId, { type: 'report', target: null, reason: 'the whole room' }));
    const empty = await act(reporter.api, roomId, { type: 'report', target: null, reason: '   ' });
    expect([empty.status, codeOf(empty)]).toEqual([400, 'invalid_reason']);
    const reports = await server.store.listReports(asRoomId(roomId));
    expect(reports.map((r) => ({ reporter: r.reporter, target: r.target, reason: r.reason }))).toEqual([
      { reporter: reporter.id, target: host.id, reason: 'off-topic shouting' },
      { reporter: reporter.id, target: null, reason: 'the whole room' },
    ]);
  });

  it('shows the host the audit log of moderation actions in order, and refuses a listener with 403', async () => {
    const host = await person('ah');
    const speaker = await person('as');
    const listener = await person('al');
    const roomId = await createRoom(host.api);
    await bringOnStage(host.api, roomId, speaker);
    await expectOk(act(speaker.api, roomId, { type: 'unmute' }));
    await expectOk(act(host.api, roomId, { type: 'muteMember', target: speaker.id }));
    await expectOk(act(host.api, roomId, { type: 'pin', url: 'https://example.org/notes' }));
    await expectOk(act(host.api, roomId, { type: 'goLive' }));
    await expectOk(act(host.api, roomId, { type: 'remove', target: listener.id, reason: 'abuse' }));
    const log = await host.api.call<{ entries: { seq: number; action: string; actor: { handle: string } | null; target: { handle: string } | null; reason: string }[] }>('GET', `/api/rooms/${roomId}/audit`);
    expect(log.status).toBe(200);
    expect(log.body.entries.map((e) => [e.action, e.actor?.handle ?? null, e.target?.handle ?? null])).toEqual([
      ['room_created', host.handle, null],
      ['invited', host.handle, speaker.handle],
      ['invite_accepted', speaker.handle, speaker.handle],
      ['muted_member', host.handle, speaker.handle],
      ['pinned', host.handle, null],
      ['went_live', host.handle, null],
      ['removed', host.handle, listener.handle],
    ]);
    const seqs = log.body.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(log.body.entries.at(-1)?.reason).toBe('abuse');
    const other = await person('nosy');
    const refused = await other.api.call('GET', `/api/rooms/${roomId}/audit`);
    expect([refused.status, codeOf(refused)]).toEqual([403, 'not_a_host']);
  });

  it('pins at most 3 links, and only http(s) ones', async () => {
    const host = await person('pin');
    const roomId = await createRoom(host.api);
    for (const url of ['javascript:alert(1)', 'ftp://example.org/file', 'https://user:pw@example.org/', 'not a url']) {
      const r = await act(host.api, roomId, { type: 'pin', url });
      expect([url, r.status, codeOf(r)]).toEqual([url, 400, 'invalid_url']);
    }
    for (const url of ['https://example.org/a', 'http://example.org/b', 'https://EXAMPLE.org/c']) await expectOk(act(host.api, roomId, { type: 'pin', url }));
    const again = await act(host.api, roomId, { type: 'pin', url: 'https://example.org/a' });
    expect([again.status, codeOf(again)]).toEqual([409, 'already_pinned']);
    const fourth = await act(host.api, roomId, { type: 'pin', url: 'https://example.org/d' });
    expect([fourth.status, codeOf(fourth)]).toEqual([409, 'pins_full']);
    const room = await host.api.call<RoomJson>('GET', `/api/rooms/${roomId}`);
    expect(room.body.room.pins.map((p) => p.url)).toEqual(['https://example.org/a', 'http://example.org/b', 'https://example.org/c']);
  });

  it('accepts reactions while live, refuses them backstage, and names an unknown reaction', async () => {
    const host = await person('rx');
    const fan = await person('rf');
    const roomId = await createRoom(host.api);
    const early = await act(fan.api, roomId, { type: 'react', reaction: '🔥' });
    expect([early.status, codeOf(early)]).toEqual([409, 'not_live']);
    await expectOk(act(host.api, roomId, { type: 'goLive' }));
    for (const reaction of ['🔥', '👏', '💯']) await expectOk(act(fan.api, roomId, { type: 'react', reaction }));
    const odd = await act(fan.api, roomId, { type: 'react', reaction: '🍕' });
    expect(odd.status).toBe(400);
    expect(errorOf(odd)).toMatchObject({ code: 'bad_request', field: 'reaction' });
  });

  it('lists a room among live rooms once it goes live, and not before', async () => {
    const host = await person('lv');
    const roomId = await createRoom(host.api, { title: 'Soon live' });
    const ids = async (status: string) => (await host.api.call<{ rooms: { id: string }[] }>('GET', `/api/rooms?status=${status}`)).body.rooms.map((r) => r.id);
    expect(await ids('live')).not.toContain(roomId);
    expect(await ids('backstage')).toContain(roomId);
    await expectOk(act(host.api, roomId, { type: 'goLive' }));
    expect(await ids('live')).toContain(roomId);
    expect(await ids('backstage')).not.toContain(roomId);
    await expectOk(act(host.api, roomId, { type: 'end' }));
    expect(await ids('live')).not.toContain(roomId);
  });
});

describe('the operator endpoints', () => {
  it('answers /healthz with 200 and the store it uses', async () => {
    const r = await new ApiClient(server.url).call('GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, store: 'sqlite' });
  });

  it('serves Prometheus metrics that include amphi_rooms_live', async () => {
    const r = await new ApiClient(server.url).call<string>('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^amphi_rooms_live \d+$/m);
    expect(r.body).toMatch(/^# TYPE amphi_http_requests_total counter$/m);
  });
});
