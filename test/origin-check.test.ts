/**
 * The same-origin check against the real server (transport/same-origin.ts): the scheme counts (an
 * https page is not the http server's own), and once AMPHI_PUBLIC_URL is set, a request naming another
 * Host with that Host's origin is refused, over HTTP and at the room socket's upgrade alike.
 */
import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';

/** a POST with the Host and Origin headers we choose (fetch does not let a test set Host) */
function post(server: TestServer, path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** the HTTP status the room socket's upgrade answers (101 when it opens) */
function upgradeStatus(server: TestServer, roomId: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/rooms/${roomId}/ws`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

describe('without AMPHI_PUBLIC_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it('refuses the https twin of its own origin, and takes its own http origin', async () => {
    const host = `127.0.0.1:${server.port}`;
    const body = { handle: 'scheme_one', displayName: 'S', password: 'a good long password' };
    const twin = await post(server, '/api/accounts', { host, origin: `https://${host}` }, body);
    expect([twin.status, JSON.parse(twin.body).error.code]).toEqual([403, 'bad_origin']);
    expect(await upgradeStatus(server, 'some-room', { host, origin: `https://${host}` })).toBe(403);
    expect((await post(server, '/api/accounts', { host, origin: `http://${host}` }, body)).status).toBe(201);
  });
});

describe('with AMPHI_PUBLIC_URL set', () => {
  const PUBLIC = 'http://rooms.example.org';
  let server: TestServer;
  let roomId: string;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { AMPHI_PUBLIC_URL: PUBLIC } });
    const api = new ApiClient(server.url);
    const made = await api.call('POST', '/api/accounts', { handle: 'public_one', displayName: 'P', password: 'a good long password' }, { origin: PUBLIC });
    expect(made.status).toBe(201);
    cookie = api.cookie ?? '';
    roomId = (await api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Public' }, { origin: PUBLIC })).body.room.id;
  });
  afterAll(() => server.dispose());

  it('refuses a request that names another Host and brings that Host origin, over HTTP and at the socket upgrade', async () => {
    const evil = { host: 'evil.example', origin: 'http://evil.example', cookie };
    const r = await post(server, '/api/rooms', evil, { title: 'Forged' });
    expect([r.status, JSON.parse(r.body).error.code]).toEqual([403, 'bad_origin']);
    expect(await upgradeStatus(server, roomId, evil)).toBe(403);
    // the public origin still passes from any Host (a proxy may rewrite it)
    expect((await post(server, '/api/rooms', { host: 'evil.example', origin: PUBLIC, cookie }, { title: 'Mine' })).status).toBe(201);
    expect(await upgradeStatus(server, roomId, { origin: PUBLIC, cookie })).toBe(101);
  });
});
