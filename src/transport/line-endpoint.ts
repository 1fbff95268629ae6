/**
 * @module line-endpoint — the waiting line's WebSocket (GET /ws/line). Everyone waiting gets the same
 * message, `{"type":"line","admittedUpTo":K,"waiting":W,"perSecond":R}`, on connect and whenever the line
 * moves, and works out their own place from their number: the whole line costs one serialisation per
 * move, never a message per person. Clients send nothing; the number of sockets is bounded.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export const LINE_PATH = '/ws/line';

export class LineEndpoint {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 256, perMessageDeflate: false });
  readonly #current: () => string;
  readonly #max: number;

  constructor(current: () => string, maxSockets: number) {
    this.#current = current;
    this.#max = maxSockets;
  }

  get size(): number {
    return this.#wss.clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (new URL(req.url ?? '/', 'http://x').pathname !== LINE_PATH) return false;
    if (this.#wss.clients.size >= this.#max) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      ws.on('error', () => ws.terminate());
      ws.send(this.#current());
    });
    return true;
  }

  /** the same bytes to every waiting client */
  broadcast(text: string): void {
    for (const ws of this.#wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  close(): void {
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }
}
