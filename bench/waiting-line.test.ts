/**
 * @module bench/waiting-line.test — the storm's waiting client: it tells an admitted answer from a place
 * in line, and waits on a real line socket until the shared "admitted up to K" reaches its number.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { admittedUpTo, listenAnswer, waitInLine } from './waiting-line.ts';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

const line = (k: number): string => JSON.stringify({ type: 'line', admittedUpTo: k, waiting: 10, perSecond: 2000 });

describe('listenAnswer', () => {
  it('reads an admitted answer and a place in line, and nothing else', () => {
    expect(listenAnswer({ admission: 'admitted', path: '/ws/listen?token=x', url: 'ws://h:1/ws/listen?token=x' })).toEqual({ kind: 'admitted', url: 'ws://h:1/ws/listen?token=x' });
    expect(listenAnswer({ admission: 'waiting', ticket: '7.abc', number: 7, position: 3, linePath: '/ws/line', lineUrl: 'ws://127.0.0.1:8081/ws/line' })).toEqual({
      kind: 'waiting',
      ticket: '7.abc',
      number: 7,
      lineUrl: 'ws://127.0.0.1:8081/ws/line',
    });
    expect(listenAnswer({ error: { code: 'unavailable' } })).toBeNull();
    expect(admittedUpTo(line(5))).toBe(5);
    expect(admittedUpTo('{"type":"other","admittedUpTo":5}')).toBeNull();
    expect(admittedUpTo('not json')).toBeNull();
  });
});

describe('waitInLine', () => {
  it('waits until the line reaches our number', async () => {
    const sockets: WebSocket[] = [];
    const wss = new WebSocketServer({ noServer: true });
    server = createServer();
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.push(ws);
        ws.send(line(1));
      }),
    );
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    let settled: string | null = null;
    const waiting = waitInLine(`ws://127.0.0.1:${port}/ws/line`, 3, 10_000).then((o) => (settled = o));
    for (let i = 0; i < 200 && sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    sockets[0]?.send(line(2));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBeNull();
    sockets[0]?.send(line(3));
    expect(await waiting).toBe('admitted');
  });

  it('gives up at its deadline with a reason', async () => {
    const wss = new WebSocketServer({ noServer: true });
    server = createServer();
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.send(line(0))));
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    expect(await waitInLine(`ws://127.0.0.1:${port}/ws/line`, 1, 200)).toBe('still in line at the timeout');
  });
});
