/**
 * The listener port (uWebSockets.js): signed-out listeners get their ticket there for a few µs instead
 * of through the API, with exactly the API's answers and errors; the ticket's socket URL carries audio
 * state; a full node gives a place in line whose line socket is on the same port.
 */
import WebSocket from 'ws';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { ProgramListener } from './support/program-listener.ts';

let server: TestServer;
let roomId: string;
let listenerHttp: string;
const open: Array<{ close(): void }> = [];

beforeAll(async () => {
  server = await startTestServer({ autoTick: true, env: { AMPHI_MAX_LISTENERS: '2', AMPHI_JOIN_RATE: '1000' } });
  const host = new ApiClient(server.url);
  await host.signUp('port_host');
  roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Port night' })).body.room.id;
  await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
  const api = await new ApiClient(server.url).call<{ url: string }>('GET', `/api/rooms/${roomId}/listen`);
  const u = new URL(api.body.url);
  listenerHttp = `http://${u.host}`;
  expect(u.port).not.toBe(new URL(server.url).port);
});
afterAll(async () => {
  for (const o of open) o.close();
  await server.dispose();
});

/** a listener socket by hand, so the test can send what no WebSocket library would: an unmasked frame */
async function rawListener(url: string): Promise<{ sock: Socket; received: () => Buffer; ended: Promise<void> }> {
  const u = new URL(url);
  const sock = connect(Number(u.port), u.hostname);
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  sock.on('data', (d: Buffer) => chunks.push(d));
  await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
  sock.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  const deadline = Date.now() + 5000;
  while (!Buffer.concat(chunks).includes('\r\n\r\n')) {
    if (Date.now() > deadline) throw new Error('no upgrade answer');
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
  return { sock, received: () => Buffer.concat(chunks), ended };
}

/** the close code of the first close frame the server sent after its 101 answer, if any */
function closeCodeIn(bytes: Buffer): number | null {
  let i = bytes.indexOf('\r\n\r\n') + 4;
  while (i + 2 <= bytes.length) {
    const op = bytes[i]! & 0x0f;
    let len = bytes[i + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      len = bytes.readUInt16BE(i + 2);
      head = 4;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(i + 2));
      head = 10;
    }
    if (op === 8) return len >= 2 ? bytes.readUInt16BE(i + head) : 1005;
    i += head + len;
  }
  return null;
}

const get = async (path: string, origin?: string) => {
  const r = await fetch(listenerHttp + path, origin === undefined ? {} : { headers: { origin } });
  return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
};

describe('the listener port', () => {
  it('gives a signed-out listener the same ticket as the API, and its socket says the room is live', async () => {
    const r = await get(`/api/rooms/${roomId}/listen`, server.url);
    expect(r.status).toBe(200);
    // Amphi's own page may read it across ports; another site may not
    expect(r.headers.get('access-control-allow-origin')).toBe(server.url);
    expect((await get(`/api/rooms/${roomId}/listen`, 'https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect(r.body).toMatchObject({ admission: 'admitted', status: 'live' });
    const viaApi = await new ApiClient(server.url).call<{ ticketOrigin?: string }>('GET', `/api/rooms/${roomId}/listen`);
    expect(viaApi.body.ticketOrigin).toBe(listenerHttp);
    expect(String(r.body['url'])).toBe(`ws://${new URL(listenerHttp).host}${String(r.body['path'])}`);
    const ws = new WebSocket(String(r.body['url']));
    open.push(ws);
    const first = await new Promise<Buffer>((resolve, reject) => {
      ws.once('message', (d: Buffer) => resolve(d));
      ws.once('error', reject);
    });
    expect(first.byteLength).toBeGreaterThan(0);
  });

  it('closes a listener socket once an unmasked frame reaches the app; uWS itself never checks the MASK bit', async () => {
    const ticket = await get(`/api/rooms/${roomId}/listen`);
    const { sock, received, ended } = await rawListener(String(ticket.body['url']));
    const closedWithin = (ms: number) => Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
    try {
      // a binary frame of 32 bytes with the MASK bit clear (RFC 6455 §5.1: the server must close). uWS reads
      // every client frame as masked: it takes the payload's first 4 bytes as the key and waits for 4 more
      // bytes than were sent, so a lone unmasked frame is held as incomplete and nothing reaches the app
      sock.write(Buffer.concat([Buffer.from([0x82, 32]), Buffer.alloc(32, 0x61)]));
      expect(await closedWithin(300)).toBe(false);
      expect(closeCodeIn(received())).toBeNull();
      // the next bytes complete the misread frame: a message of garbage reaches the app, which closes
      // the socket as it closes any listener that sends a message
      sock.write(Buffer.from([0x89, 0x00, 0x89, 0x00]));
      await closedWithin(3000);
      expect(closeCodeIn(received())).toBe(4400);
    } finally {
      sock.destroy();
    }
  });

  it('answers a full node with a place in line whose line socket is on this port', async () => {
    const held = await ProgramListener.open(server.url, roomId, null);
    open.push(held);
    await expect.poll(async () => (await fetch(`${server.url}/metrics`).then((x) => x.text())).match(/^amphi_audio_listeners (\d+)/m)?.[1]).toBe('2');
    const r = await get(`/api/rooms/${roomId}/listen`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ admission: 'waiting', position: 1 });
    expect(String(r.body['lineUrl'])).toBe(`ws://${new URL(listenerHttp).host}/ws/line`);
  });

  it('refuses bad input the way the API does: a code and a sentence, never a crash', async () => {
    const unknown = await get('/api/rooms/00000000-0000-4000-8000-000000000000/listen');
    const viaApi = await new ApiClient(server.url).call('GET', '/api/rooms/00000000-0000-4000-8000-000000000000/listen');
    expect(unknown.status).toBe(viaApi.status);
    expect(unknown.body).toEqual(viaApi.body);
    const long = await get(`/api/rooms/${'r'.repeat(65)}/listen`);
    expect(long.status).toBe(404);
    expect(long.body).toEqual((await new ApiClient(server.url).call('GET', `/api/rooms/${'r'.repeat(65)}/listen`)).body);
    const bad = await get(`/api/rooms/${roomId}/listen?ticket=${'x'.repeat(100)}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'bad_request' } });
    const extra = await get(`/api/rooms/${roomId}/listen?admin=1`);
    expect(extra.status).toBe(400);
    const metrics = await fetch(`${server.url}/metrics`).then((x) => x.text());
    expect(Number(/^amphi_http_requests_total\{method="GET",status="400"\} (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThanOrEqual(2);
    const elsewhere = await get('/api/rooms');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ error: { code: 'not_found' } });
  });
});
