/**
 * The text rule at the edge (protocol/text-rule.ts), on SQLite and on PostgreSQL alike: a NUL, a lone
 * surrogate or bytes that are not UTF-8, in a path or query parameter, a JSON body, a room socket
 * message or the listener port's query, answer 400 naming the field (or close 4001 on the listener
 * socket), signed in or not, and store nothing. PostgreSQL refused NUL with a 500; SQLite stored it.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ApiResponse } from './support/amphi-server.ts';
import { RoomSocket } from './support/room-socket-client.ts';
import { STORE_KINDS, storeServers, type StoreServers } from './support/store-servers.ts';

type ErrorJson = { error: { code: string; message: string; field?: string } };
const errorOf = (r: ApiResponse) => (r.body as ErrorJson).error;

describe.each(STORE_KINDS)('on %s', async (kind) => {
  const servers: StoreServers = await storeServers(kind, 'text');
  let server: Awaited<ReturnType<StoreServers['start']>>;
  let host: ApiClient;
  let hostId: string;
  let roomId: string;

  beforeAll(async () => {
    if (!servers.available) return;
    server = await servers.start();
    host = new ApiClient(server.url);
    hostId = await host.signUp('text_host');
    roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Text rules' })).body.room.id;
    await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
    // going live starts the go-live notices in the background: let them finish before comparing snapshots
    // (the job itself is written after the answer: an empty list is "not started", not "finished")
    const finished = async (): Promise<boolean> => {
      const jobs = (await server.store.snapshot())['fanout_jobs'] ?? [];
      return jobs.length > 0 && jobs.every((j) => (j as { phase: string }).phase === 'done');
    };
    // a loop, not expect.poll: this is a beforeAll, outside any test
    for (let i = 0; i < 200 && !(await finished()); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await finished())) throw new Error('the go-live notices did not finish within 10 s');
  });
  afterAll(async () => {
    await server?.dispose();
    await servers.cleanUp();
  });

  /** the answer is 400 with `code`, naming `field`, and the store is as it was */
  async function refused(send: () => Promise<ApiResponse>, field: string, code = 'bad_request'): Promise<void> {
    const before = await server.store.snapshot();
    const r = await send();
    expect([r.status, errorOf(r).code, errorOf(r).field], JSON.stringify(r.body)).toEqual([400, code, field]);
    expect(await server.store.snapshot()).toEqual(before);
  }

  it.skipIf(!servers.available)('refuses a NUL in a path or query parameter with 400 naming it, signed out too', async () => {
    const anon = new ApiClient(server.url);
    await refused(() => anon.call('GET', '/api/rooms/a%00b'), 'roomId');
    await refused(() => anon.call('GET', '/api/rooms/a%00b/listen'), 'roomId');
    await refused(() => anon.call('GET', '/api/users/a%00b'), 'handle');
    await refused(() => anon.call('GET', '/api/scheduled-rooms?host=a%00b'), 'host');
    await refused(() => host.call('PUT', '/api/users/a%00b/follow'), 'handle');
    await refused(() => host.call('POST', '/api/rooms/a%00b/cancel'), 'roomId');
  });

  it.skipIf(!servers.available)('refuses a NUL or a lone surrogate in any field of a JSON body, keys included', async () => {
    const anon = new ApiClient(server.url);
    await refused(() => anon.call('POST', '/api/accounts', { handle: 'nul_name', displayName: 'A\u0000B', password: 'a good long password' }), 'displayName');
    await refused(() => anon.call('POST', '/api/sessions', { handle: 'a\u0000b', password: 'whatever it is' }), 'handle');
    const act = (action: Record<string, unknown>) => () => host.call('POST', `/api/rooms/${roomId}/actions`, action);
    await refused(act({ type: 'invite', target: 'x\u0000' }), 'target');
    await refused(act({ type: 'report', target: null, reason: 'bad\u0000' }), 'reason');
    await refused(act({ type: 'remove', target: hostId, reason: '\u0000' }), 'reason');
    // JSON.stringify writes a lone surrogate as the escape \ud800, which JSON.parse turns back into one
    await refused(() => host.call('POST', '/api/rooms', { title: 'half \ud83d', topics: [] }), 'title');
    await refused(() => host.call('POST', '/api/rooms', { title: 'ok', topics: ['fine', 'x\udfff'] }), 'topics.1');
    await refused(() => host.call('POST', '/api/rooms', '{"title":"ok","\\u0000":1}'), '\ufffd');
  });

  it.skipIf(!servers.available)('refuses a body whose bytes are not UTF-8 as invalid_json naming the body, instead of storing U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('{"title":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const send = async (): Promise<ApiResponse> => {
      const res = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { origin: server.url, cookie: host.cookie ?? '', 'content-type': 'application/json' }, body: bytes });
      return { status: res.status, body: await res.json(), headers: res.headers };
    };
    await refused(send, 'body', 'invalid_json');
  });

  it.skipIf(!servers.available)('answers a room socket message with a NUL or bytes that are not UTF-8 with an error frame, and keeps the socket', async () => {
    const sock = await RoomSocket.open(server.url, roomId, host.cookie);
    // the host's socket marks them connected in the background: compare what a report or an action writes
    const written = async () => {
      const snap = await server.store.snapshot();
      return [snap['reports'], snap['audit_log']];
    };
    const before = await written();
    sock.send({ type: 'action', ref: 'n', action: { type: 'report', target: null, reason: 'x\u0000y' } });
    await expect.poll(() => sock.messages.find((m) => m.type === 'error' && m.code === 'bad_request')).toMatchObject({ message: expect.stringContaining('action.reason') });
    // a binary frame is not checked by the socket library: its bytes go through the same decoder
    sock.ws.send(Buffer.concat([Buffer.from('{"type":"ping","ref":"'), Buffer.from([0xff]), Buffer.from('"}')]), { binary: true });
    await expect.poll(() => sock.messages.find((m) => m.type === 'error' && m.code === 'invalid_json')).toBeDefined();
    sock.send({ type: 'ping', ref: 'still' });
    await expect.poll(() => sock.messages.find((m) => m.type === 'pong' && m.ref === 'still')).toBeDefined();
    expect(await written()).toEqual(before);
    sock.ws.close();
  });

  it.skipIf(!servers.available)('takes a room socket whose session cookie is a malformed escape as signed out, and the server lives on', async () => {
    const sock = await RoomSocket.open(server.url, roomId, 'amphi_session=%zz');
    sock.send({ type: 'action', ref: 'c', action: { type: 'requestToSpeak' } });
    await expect.poll(() => sock.messages.find((m) => m.type === 'error' && m.ref === 'c')).toMatchObject({ code: 'not_signed_in' });
    sock.ws.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it.skipIf(!servers.available)('refuses a NUL on the listener port: its ticket answers 400, its direct join closes 4001', async () => {
    const port = `http://127.0.0.1:${server.listenPort}`;
    const ticket = await fetch(`${port}/api/rooms/a%00b/listen`);
    expect([ticket.status, ((await ticket.json()) as ErrorJson).error]).toEqual([400, expect.objectContaining({ code: 'bad_request', field: 'roomId' })]);
    const ws = new WebSocket(`ws://127.0.0.1:${server.listenPort}/ws/listen?room=a%00b`);
    ws.on('error', () => undefined);
    const closed = await new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    expect(closed).toBe(4001);
  });
});
