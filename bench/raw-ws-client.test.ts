/**
 * @module bench/raw-ws-client.test — the generator's raw WebSocket client against a real `ws` server:
 * it receives every message whole and in order whatever its size and however TCP splits it, reports
 * the server's close code, and reports a refused upgrade as a failed open.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { RawWsClient, type RawWsHandler } from './raw-ws-client.ts';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** a ws server on port 0 that hands each connection to `onConnection`; 404 for any path but /ws */
async function serve(onConnection: (ws: WebSocket) => void): Promise<number> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server = createServer();
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/ws')) return socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    wss.handleUpgrade(req, socket, head, onConnection);
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

class Recorder implements RawWsHandler {
  opened = false;
  messages: Buffer[] = [];
  closed: { code: number; detail: string } | null = null;
  #wake: (() => void) | null = null;
  onOpen(): void {
    this.opened = true;
  }
  onMessage(buf: Buffer, start: number, end: number): void {
    this.messages.push(Buffer.from(buf.subarray(start, end)));
  }
  onClose(code: number, detail: string): void {
    this.closed = { code, detail };
    this.#wake?.();
  }
  ended(): Promise<{ code: number; detail: string }> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(this.closed);
      this.#wake = () => this.closed && resolve(this.closed);
    });
  }
}

describe('RawWsClient', () => {
  it('receives small, medium and large binary messages whole and in order, then the close code and reason', async () => {
    const sizes = [0, 1, 125, 126, 127, 300, 65_535, 65_536, 200_000];
    const payloads = sizes.map((n, k) => Buffer.alloc(n, k + 1));
    const port = await serve((ws) => {
      for (const p of payloads) ws.send(p);
      ws.close(4008, 'too slow');
    });
    const rec = new Recorder();
    new RawWsClient({ host: '127.0.0.1', port, path: '/ws' }, rec);
    expect(await rec.ended()).toEqual({ code: 4008, detail: 'too slow' });
    expect(rec.opened).toBe(true);
    expect(rec.messages.map((m) => m.length)).toEqual(sizes);
    expect(rec.messages).toEqual(payloads);
  });

  it('keeps up with thousands of small messages that arrive several per read', async () => {
    const count = 5000;
    const port = await serve((ws) => {
      for (let i = 0; i < count; i++) {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(i);
        ws.send(b);
      }
      ws.close(1000);
    });
    const rec = new Recorder();
    new RawWsClient({ host: '127.0.0.1', port, path: '/ws' }, rec);
    expect((await rec.ended()).code).toBe(1000);
    expect(rec.messages.map((m) => m.readUInt32BE(0))).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('reports a refused upgrade with code 0 and the HTTP status, without opening', async () => {
    const port = await serve(() => undefined);
    const rec = new Recorder();
    new RawWsClient({ host: '127.0.0.1', port, path: '/nowhere' }, rec);
    expect(await rec.ended()).toEqual({ code: 0, detail: 'HTTP 404' });
    expect(rec.opened).toBe(false);
  });

  it('reports a connection dropped without a close frame as 1006', async () => {
    const port = await serve((ws) => ws.terminate());
    const rec = new Recorder();
    new RawWsClient({ host: '127.0.0.1', port, path: '/ws' }, rec);
    expect((await rec.ended()).code).toBe(1006);
  });

  it('closes politely: the server sees our close code', async () => {
    let seen: number | null = null;
    const gotClose = new Promise<void>((resolve) => {
      void serve((ws) => {
        ws.on('close', (code) => {
          seen = code;
          resolve();
        });
        ws.send(Buffer.from([1]));
      }).then((port) => {
        const c = new RawWsClient({ host: '127.0.0.1', port, path: '/ws' }, {
          onOpen: () => undefined,
          onMessage: () => c.close(4100),
          onClose: () => undefined,
        });
      });
    });
    await gotClose;
    expect(seen).toBe(4100);
  });
});
