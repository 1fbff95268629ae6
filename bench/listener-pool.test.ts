/**
 * @module bench/listener-pool.test — the generator's listeners against a real `ws` server sending
 * protocol batches: frames missing between seqs are counted as lost, repeats as duplicates, each
 * frame's delay is measured from its capture time, and a listener that stops reading receives nothing
 * until it reads again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Buffer } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeAudioBatch, encodeStreamState } from '../src/protocol/listener-frame.ts';
import { ListenerPool } from './listener-pool.ts';

let server: Server | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
  sockets.length = 0;
});

async function serve(): Promise<number> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server = createServer();
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      ws.send(encodeStreamState('live'));
    }),
  );
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const batch = (seqs: number[], captureTimeMs: number): Buffer =>
  Buffer.from(encodeAudioBatch(seqs.map((seq) => ({ seq, captureTimeMs, opus: new Uint8Array(80) }))));

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('ListenerPool', () => {
  it('opens listeners, counts lost frames from seq gaps and duplicates, and measures delay from capture time', async () => {
    const port = await serve();
    const pool = new ListenerPool();
    const opened = await pool.open({ host: '127.0.0.1', port, path: '/ws' }, 3, 2, () => undefined);
    expect(opened).toMatchObject({ opened: 3, failed: 0, total: 3 });
    pool.resetWindow();
    const old = Date.now() - 500;
    for (const ws of sockets) {
      ws.send(batch([1, 2, 3], old));
      ws.send(batch([7, 8, 9], old)); // 4, 5, 6 missing
      ws.send(batch([9], old)); // a repeat
    }
    await until(() => pool.report('base').frames === 3 * 7);
    const r = pool.report('base');
    expect(r.listeners).toBe(3);
    expect(r.framesLost).toBe(3 * 3);
    expect(r.duplicates).toBe(3);
    expect(r.malformed).toBe(0);
    expect(r.delay.count).toBe(21);
    expect(r.delay.p50).toBeGreaterThanOrEqual(500);
    pool.closeAll();
  });

  it('counts failed opens with their reason', async () => {
    const port = await serve();
    server?.removeAllListeners('upgrade');
    server?.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n'));
    const pool = new ListenerPool();
    const r = await pool.open({ host: '127.0.0.1', port, path: '/ws' }, 2, 2, () => undefined);
    expect(r).toMatchObject({ opened: 0, failed: 2, failures: { 'HTTP 503': 2 } });
  });

  it('a paused listener moves to the slow group and reads nothing until it is resumed; the server close is counted then', async () => {
    const port = await serve();
    const pool = new ListenerPool();
    await pool.open({ host: '127.0.0.1', port, path: '/ws' }, 2, 2, () => undefined);
    expect(pool.pause(0.5)).toBe(1);
    expect(pool.count('slow')).toBe(1);
    pool.resetWindow();
    for (const ws of sockets) ws.send(batch([1, 2, 3], Date.now()));
    await until(() => pool.report('base').frames === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.report('slow').frames).toBe(0);
    for (const ws of sockets) ws.close(4008, 'too slow');
    pool.resumeSlow();
    await until(() => pool.report('slow').frames === 3 && pool.stats.slow.closes['4008'] === 1);
  });
});
