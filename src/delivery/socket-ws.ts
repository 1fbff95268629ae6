/**
 * @module socket-ws — ListenerSocket over a server-side `ws` WebSocket. Thin: no buffering, no timers,
 * no events of its own. The owner (transport/) keeps the `ws` events: it must handle 'error' and call
 * hub.removeListener on 'close'. Never sends to a socket that is not open: `ws` would count such bytes
 * in bufferedAmount forever.
 */
import { WebSocket } from 'ws';
import type { ListenerSocket } from './listener-socket.ts';

export class WsListenerSocket implements ListenerSocket {
  constructor(readonly ws: WebSocket) {}

  get closed(): boolean {
    return this.ws.readyState === WebSocket.CLOSING || this.ws.readyState === WebSocket.CLOSED;
  }

  send(buf: Uint8Array): void {
    // A Node Buffer goes to the wire as is; the hub encodes into Buffers so no wrapper is made per write.
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(buf);
  }

  bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}
