/**
 * @module test/support/room-socket-client — a person's room WebSocket in tests: connects with their
 * session cookie and our Origin, records every message, and waits for the one a test expects.
 */
import WebSocket from 'ws';
import type { ServerMessage } from '../../src/protocol/api-views.ts';

export class RoomSocket {
  readonly messages: ServerMessage[] = [];
  readonly raw: string[] = [];
  closed: { code: number; reason: string } | null = null;
  readonly ws: WebSocket;
  #waiters: Array<() => void> = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      this.raw.push(text);
      this.messages.push(JSON.parse(text) as ServerMessage);
      this.#wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.#wake();
    });
  }

  static open(base: string, roomId: string, cookie: string | null): Promise<RoomSocket> {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/rooms/${roomId}/ws`, {
      headers: { origin: base, ...(cookie && { cookie }) },
    });
    const sock = new RoomSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(sock));
      ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** resolves with the first message since `from` that matches; rejects after `ms` */
  async waitFor<T extends ServerMessage>(pred: (m: ServerMessage) => m is T, ms?: number, from?: number): Promise<T>;
  async waitFor(pred: (m: ServerMessage) => boolean, ms?: number, from?: number): Promise<ServerMessage>;
  async waitFor(pred: (m: ServerMessage) => boolean, ms = 3000, from = 0): Promise<ServerMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.slice(from).find(pred);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) before the expected message; got ${JSON.stringify(this.messages.slice(-5))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; last messages: ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitClosed(ms = 3000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }
}

export const isType =
  <K extends ServerMessage['type']>(type: K) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: K }> =>
    m.type === type;
