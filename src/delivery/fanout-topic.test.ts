import uWS from '@trufflesuite/uws-js-unofficial';
import type { WebSocket as UwsSocket, us_listen_socket } from '@trufflesuite/uws-js-unofficial';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTENER_PATH, parseListenerQuery } from '../protocol/listener-query.ts';
import { DefaultBackpressurePolicy } from './backpressure.ts';
import { topicFanout } from './fanout-topic.ts';
import { TEST_SECRET, TestClient, range, testFrame } from './hub-server.test-helper.ts';
import { verifyJoinToken } from './join-token.ts';
import type { AddListenerResult } from './stream-hub.ts';
import { StreamHub } from './stream-hub.ts';
import { UwsListenerSocket } from './socket-uws.ts';
import { asStreamId } from './stream-id.ts';

/** The topic fan-out over a real uWebSockets.js server and real `ws` clients: no fake sockets. */
const S = asStreamId('s1');
const MAX_BUFFERED = 64 * 1024;
let listenSocket: us_listen_socket | null = null;
const clients: TestClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.ws.terminate();
  if (listenSocket !== null) uWS.us_listen_socket_close(listenSocket);
  listenSocket = null;
});

interface Data {
  readonly query: string;
  sock: UwsListenerSocket | null;
  result: AddListenerResult | null;
}


async function setup() {
  let clock = 1_000;
  const app = uWS.App();
  const hub = new StreamHub({
    now: () => clock,
    backpressure: new DefaultBackpressurePolicy({ maxBufferedBytes: MAX_BUFFERED, maxBehindMs: 5000 }),
    createFanout: topicFanout((topic, msg) => app.publish(topic, msg, true, false)),
  });
  hub.openStream(S);
  const server: Data[] = [];
  app.ws<Data>(LISTENER_PATH, {
    maxBackpressure: MAX_BUFFERED,
    upgrade: (res, req, ctx) =>
      res.upgrade<Data>({ query: req.getQuery() ?? '', sock: null, result: null }, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), ctx),
    open: (ws: UwsSocket<Data>) => {
      const d = ws.getUserData();
      d.sock = new UwsListenerSocket(ws);
      server.push(d);
      const q = parseListenerQuery(new URLSearchParams(d.query));
      const v = q.ok && q.query.kind === 'token' ? verifyJoinToken(TEST_SECRET, q.query.token, clock) : null;
      if (!q.ok || v === null || !v.ok) return d.sock.close(4001, 'bad token');
      d.result = hub.addListener(v.claims.streamId, d.sock, { resumeFromSeq: q.query.resumeFromSeq });
    },
    close: (ws: UwsSocket<Data>) => {
      const d = ws.getUserData();
      d.sock?.markClosed();
      if (d.result?.ok) hub.removeListener(d.result.handle);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    app.listen('127.0.0.1', 0, (s) => {
      if (s === false) return reject(new Error('uWS could not listen'));
      listenSocket = s;
      resolve(uWS.us_socket_local_port(s));
    }),
  );
  const endpoint = `ws://127.0.0.1:${port}${LISTENER_PATH}`;
  const connect = async (resume: number | null = null): Promise<TestClient> => {
    const c = await TestClient.connect(endpoint, 's1', resume);
    clients.push(c);
    return c;
  };
  const publish = (from: number, to: number, bytes = 3): void => {
    for (let s = from; s <= to; s++) {
      clock += 20;
      hub.publishFrame(S, testFrame(s, bytes));
    }
  };
  return { hub, server, connect, publish };
}

describe('TopicFanout over real uWebSockets.js sockets', () => {
  it('delivers every batch to every listener in order, and a resuming listener gets exactly what it missed', async () => {
    const { hub, connect, publish } = await setup();
    const a = await connect();
    const b = await connect();
    publish(1, 30);
    const late = await connect(12);
    publish(31, 60);
    for (const c of [a, b, late]) await c.until(() => c.seqs.at(-1) === 60);
    expect(a.seqs).toEqual(range(1, 60));
    expect(b.seqs).toEqual(range(1, 60));
    expect(late.seqs).toEqual(range(13, 60));
    expect(hub.stats()).toMatchObject({ listeners: 3, joinsResumed: 1, slowCloses: 0 });
  });

  it('skips, then closes with 4008, a listener that never reads, while the others get every frame', async () => {
    const { hub, server, connect, publish } = await setup();
    const fast = [await connect(), await connect()];
    const slow = await connect();
    slow.ws.pause();
    const slowData = server[2];
    if (!slowData?.result?.ok) throw new Error('slow listener was not attached');
    const handle = slowData.result.handle;
    const bytes = 4000;
    let seq = 0;
    let maxBuffered = 0;
    // Publish (the clock moves 60 ms a batch) until the sweep has seen it over the bound for 5 s and closed it.
    while (!handle.detached && seq < 60_000) {
      publish(seq + 1, seq + 3, bytes);
      seq += 3;
      maxBuffered = Math.max(maxBuffered, slowData.sock?.bufferedAmount() ?? 0);
      await new Promise((r) => setImmediate(r));
    }
    expect(handle.detached).toBe(true);
    expect(handle.skippedFrames).toBeGreaterThan(0);
    // uWS refuses to buffer past maxBackpressure for a subscriber: memory stays bounded
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED + 3 * (14 + bytes) + 4);
    publish(seq + 1, seq + 3, bytes);
    seq += 3;
    for (const c of fast) await c.until(() => c.seqs.at(-1) === seq);
    for (const c of fast) expect(c.seqs).toEqual(range(1, seq));
    expect(hub.stats()).toMatchObject({ slowCloses: 1, listeners: 2 });
    expect(hub.stats().framesSkipped).toBe(handle.skippedFrames);
    // uWS cannot queue a close frame behind a full buffer, so the reader sees the connection end
    // (1006) where `ws` would show 4008; either way its last seq is older than the ring, so it resumes at live
    slow.ws.resume();
    await slow.until(() => slow.closeCode !== null);
    expect([4008, 1006]).toContain(slow.closeCode);
    expect(slow.seqs.at(-1) ?? 0).toBeLessThan(seq - 250);
  });
});
