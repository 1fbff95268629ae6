/**
 * A signed-out listener joining directly on the listener port (`/ws/listen?room=ID`, no ticket): let
 * in and hearing the room in one round trip; on a full node kept connected with its number in line,
 * told its place as the line moves and moved into the stream by the server, in order, with no error
 * and no second request; refused with a close code a client understands otherwise.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListenerConnection, type LinePlace } from '../src/protocol/listener-client/listener-connection.ts';
import { wsClientSocketFactory } from '../src/delivery/client-socket-ws.ts';
import { decodeListenerMessage } from '../src/protocol/listener-frame.ts';
import { parseLineText, type LineTextMessage } from '../src/protocol/listener-line.ts';
import { directListenerUrl } from '../src/protocol/listener-query.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';

let server: TestServer;
let host: ApiClient;
let origin: string;
const open: Array<{ close(): void }> = [];

/** one raw direct-join socket that keeps everything it was told */
class DirectSocket {
  readonly texts: LineTextMessage[] = [];
  readonly binary: Array<ReturnType<typeof decodeListenerMessage>> = [];
  closed: { code: number; reason: string } | null = null;
  readonly ws: WebSocket;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (d: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        const m = parseLineText(d.toString());
        if (m === null) throw new Error(`unexpected text ${d.toString()}`);
        this.texts.push(m);
      } else this.binary.push(decodeListenerMessage(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    });
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.ws.on('error', () => undefined);
    open.push(this);
  }
  get number(): number | null {
    const w = this.texts.find((t) => t.type === 'waiting');
    return w?.type === 'waiting' ? w.number : null;
  }
  get admitted(): boolean {
    return this.binary.length > 0;
  }
  close(): void {
    this.ws.close();
  }
}

const listeners = async (): Promise<string | undefined> => (await fetch(`${server.url}/metrics`).then((r) => r.text())).match(/^amphi_audio_listeners (\d+)/m)?.[1];

async function liveRoom(title: string): Promise<string> {
  const id = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title })).body.room.id;
  await host.call('POST', `/api/rooms/${id}/actions`, { type: 'goLive' });
  return id;
}

beforeAll(async () => {
  server = await startTestServer({ autoTick: true, env: { AMPHI_MAX_LISTENERS: '2', AMPHI_JOIN_RATE: '1000', AMPHI_MAX_WAITING: '3' } });
  origin = `ws://127.0.0.1:${server.listenPort}`;
  host = new ApiClient(server.url);
  await host.signUp('direct_host');
}, 30_000);
afterAll(async () => {
  for (const o of open) o.close();
  await server.dispose();
});

describe('direct join on the listener port', () => {
  it('lets a signed-out listener in with one upgrade: stream state, then audio, then it leaves', async () => {
    const roomId = await liveRoom('Direct night');
    const s = new DirectSocket(directListenerUrl(origin, roomId));
    try {
      await expect.poll(() => s.binary.some((m) => m.type === 'audio'), { timeout: 5000 }).toBe(true);
      // a join in the first 20 ms of the room hears 'waiting' (no program frame yet), then 'live'
      const firstAudio = s.binary.findIndex((m) => m.type === 'audio');
      expect(s.binary[0]?.type).toBe('streamState');
      expect(s.binary[firstAudio - 1]).toEqual({ type: 'streamState', state: 'live' });
      expect(s.texts).toEqual([]);
    } finally {
      s.close();
    }
    await expect.poll(listeners).toBe('0');
  });

  it('refuses with a close code a client understands: no such room, ended room, both token and room, an over-long id', async () => {
    const ended = await liveRoom('Over soon');
    await host.call('POST', `/api/rooms/${ended}/actions`, { type: 'end' });
    const cases: Array<[string, number]> = [
      [directListenerUrl(origin, '00000000-0000-4000-8000-000000000000'), 4004],
      [directListenerUrl(origin, ended), 4010],
      [`${directListenerUrl(origin, ended)}&token=abc`, 4001],
      [directListenerUrl(origin, 'r'.repeat(65)), 4001],
    ];
    for (const [url, code] of cases) {
      const s = new DirectSocket(url);
      await expect.poll(() => s.closed?.code, { timeout: 5000 }).toBe(code);
      expect(s.binary).toEqual([]);
      expect(s.closed?.reason.length).toBeGreaterThan(0);
    }
  });

  it('on a full node: numbers rising, places told as the line moves, let in by the server in order; beyond the line 4029', async () => {
    const roomId = await liveRoom('Full house');
    const url = directListenerUrl(origin, roomId);
    const held = [new DirectSocket(url), new DirectSocket(url)];
    await expect.poll(listeners).toBe('2');
    const waiting: DirectSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const s = new DirectSocket(url);
      await expect.poll(() => s.number).not.toBeNull();
      waiting.push(s);
    }
    const numbers = waiting.map((s) => s.number as number);
    expect(numbers[1]).toBe((numbers[0] as number) + 1);
    expect(numbers[2]).toBe((numbers[0] as number) + 2);
    expect(waiting.map((s) => s.texts[0])).toMatchObject([{ position: 1 }, { position: 2 }, { position: 3 }]);
    // the line holds 3: the next is told plainly to come back, not left hanging
    const over = new DirectSocket(url);
    await expect.poll(() => over.closed?.code, { timeout: 5000 }).toBe(4029);
    expect(over.closed?.reason).toMatch(/try again in \d+ s/);

    held[0]?.close();
    await expect.poll(() => waiting[0]?.admitted, { timeout: 5000 }).toBe(true);
    expect(waiting[1]?.admitted).toBe(false);
    // the others heard the line move: the second is now first
    await expect.poll(() => waiting[1]?.texts.some((t) => t.type === 'line' && (numbers[1] as number) - t.admittedUpTo === 1)).toBe(true);
    held[1]?.close();
    await expect.poll(() => waiting[1]?.admitted, { timeout: 5000 }).toBe(true);
    expect(waiting[2]?.admitted).toBe(false);
    // once in, the socket hears the stream like any other: state first, then audio
    expect(waiting[0]?.binary[0]).toEqual({ type: 'streamState', state: 'live' });
    await expect.poll(() => waiting[0]?.binary.some((m) => m.type === 'audio'), { timeout: 5000 }).toBe(true);
    for (const s of waiting) expect(s.closed).toBeNull();
    // one who leaves while waiting gives the place up: the line skips it
    waiting[2]?.close();
    for (const s of waiting) s.close();
    await expect.poll(listeners).toBe('0');
  });

  it('the reference client reports its place in line, then plays, without an error', async () => {
    const roomId = await liveRoom('Client in line');
    const url = directListenerUrl(origin, roomId);
    const held = [new DirectSocket(url), new DirectSocket(url)];
    await expect.poll(listeners).toBe('2');
    const places: Array<LinePlace | null> = [];
    const errors: string[] = [];
    let frames = 0;
    const conn = new ListenerConnection({
      endpoint: 'ws://unused.invalid/ws/listen',
      token: async () => ({ direct: url }),
      createSocket: wsClientSocketFactory,
      onLine: (p) => places.push(p),
      onFrames: (f) => (frames += f.length),
      onError: (e) => errors.push(e.code),
    });
    open.push(conn);
    conn.start();
    await expect.poll(() => places.length).toBeGreaterThan(0);
    expect(places[0]).toMatchObject({ position: 1 });
    expect(conn.state).toBe('connecting');
    held[0]?.close();
    await expect.poll(() => frames, { timeout: 5000 }).toBeGreaterThan(0);
    expect(places.at(-1)).toBeNull();
    expect(conn.state).toBe('live');
    expect(errors).toEqual([]);
    conn.close();
    held[1]?.close();
  });
});
