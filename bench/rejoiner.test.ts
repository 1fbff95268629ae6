/**
 * @module bench/rejoiner.test — listeners of a dead edge come back on another, as the bench measures
 * it: two `ws` servers stand in for the edges; when the first drops its sockets, each listener
 * reconnects to the second with `resume=` its last seq, is counted back at its first frame there, and
 * its numbering carries on across both sockets (no gap, no repeat counted when there is none; a refused
 * attempt is retried). Only the dead edge's listeners move.
 */
import { Buffer } from 'node:buffer';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeAudioBatch } from '../src/protocol/listener-frame.ts';
import { ListenerPool, wallNow } from './listener-pool.ts';
import { Rejoiner, timeToShare } from './rejoiner.ts';

interface Edge {
  port: number;
  readonly sockets: WebSocket[];
  /** the query of every upgrade it took */
  readonly queries: string[];
  /** answer the next `n` upgrades 503 */
  refuse: number;
  close(): Promise<void>;
}

const servers: Server[] = [];
const edges: Edge[] = [];
afterEach(async () => {
  for (const e of edges.splice(0)) await e.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

const batch = (seqs: number[]): Buffer => Buffer.from(encodeAudioBatch(seqs.map((seq) => ({ seq, captureTimeMs: Date.now(), opus: new Uint8Array(40) }))));

/** an edge that sends each new socket two frames after its `resume` (`skip` more on), or `first` when it has none */
async function edge(first: number[], skip = 0): Promise<Edge> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer();
  servers.push(http);
  const e: Edge = {
    port: 0,
    sockets: [],
    queries: [],
    refuse: 0,
    close: async () => {
      http.closeAllConnections();
      for (const ws of e.sockets) ws.terminate();
    },
  };
  http.on('upgrade', (req, socket, head) => {
    if (e.refuse > 0) {
      e.refuse--;
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    e.queries.push(query.toString());
    wss.handleUpgrade(req, socket, head, (ws) => {
      e.sockets.push(ws);
      const resume = query.get('resume');
      ws.send(batch(resume === null ? first : [Number(resume) + 1 + skip, Number(resume) + 2 + skip]));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  e.port = (http.address() as AddressInfo).port;
  edges.push(e);
  return e;
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('Rejoiner', () => {
  it("brings the dead edge's listeners back on the other above their last seq, and leaves the others alone", async () => {
    const [a, b] = [await edge([1, 2, 3]), await edge([1, 2, 3])];
    const pool = new ListenerPool();
    await pool.open({ host: '127.0.0.1', port: a.port, path: '/ws/listen?token=t' }, 3, 3, () => undefined);
    await pool.open({ host: '127.0.0.1', port: b.port, path: '/ws/listen?token=t' }, 1, 1, () => undefined);
    await until(() => pool.report('base').frames === 4 * 3);
    const rejoiner = new Rejoiner(pool);
    b.refuse = 1;
    rejoiner.arm({ fromPort: a.port, fallback: { host: '127.0.0.1', port: b.port, path: '/ws/listen?token=u' }, killedAtWallMs: wallNow(), giveUpMs: 10_000 });
    pool.resetWindow();
    await a.close();
    await until(() => rejoiner.report().back === 3);
    const r = rejoiner.report();
    expect(r).toMatchObject({ onPortAtArm: 3, lost: 3, back: 3, pending: 0, gaveUp: 0, resumeGapFrames: 0, resumeRepeats: 0 });
    expect(r.failedAttempts).toBe(1);
    expect(r.failures).toEqual({ 'HTTP 503': 1 });
    expect(r.back99Ms).not.toBeNull();
    // each came back with its own last seq, on the fallback's token
    expect(b.queries.filter((q) => q.includes('resume=3'))).toHaveLength(3);
    expect(b.queries.filter((q) => q.startsWith('token=u'))).toHaveLength(3);
    const w = pool.report('base');
    expect(w).toMatchObject({ listeners: 4, frames: 3 * 2, framesLost: 0, duplicates: 0 });
    expect(w.maxArrivalGapMs).toBeGreaterThan(0);
    rejoiner.disarm();
    pool.closeAll();
  });

  it('counts a gap at the resume and gives up for good once disarmed', async () => {
    const [a, b] = [await edge([1, 2, 3]), await edge([], 1)];
    const pool = new ListenerPool();
    await pool.open({ host: '127.0.0.1', port: a.port, path: '/ws/listen?token=t' }, 1, 1, () => undefined);
    await until(() => pool.report('base').frames === 3);
    const rejoiner = new Rejoiner(pool);
    // the fallback skips a frame: it resumes at last + 2
    rejoiner.arm({ fromPort: a.port, fallback: { host: '127.0.0.1', port: b.port, path: '/ws/listen?token=u' }, killedAtWallMs: wallNow(), giveUpMs: 10_000 });
    pool.resetWindow();
    await a.close();
    await until(() => rejoiner.report().back === 1);
    expect(rejoiner.report().resumeGapFrames).toBe(1);
    expect(pool.report('base')).toMatchObject({ framesLost: 1, maxSeqGap: 1 });
    rejoiner.disarm();
    b.refuse = 100;
    await b.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(rejoiner.report().attempts).toBe(1);
    pool.closeAll();
  });
});

describe('timeToShare', () => {
  it('is the time by which the share of all lost listeners were back, or null while fewer are', () => {
    const back = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(timeToShare(back, 10, 0.99)).toBe(100);
    expect(timeToShare(back, 10, 0.5)).toBe(50);
    expect(timeToShare(back, 11, 0.99)).toBeNull();
    expect(timeToShare([], 0, 0.99)).toBe(0);
  });
});
