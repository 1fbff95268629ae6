/**
 * @module socket-uws — ListenerSocket over a uWebSockets.js WebSocket, plus the topic calls the topic
 * fan-out needs. A uWS socket must never be touched after its close event (the native object is gone
 * and every call throws), so the owner marks it closed from its close handler and every method here
 * becomes a no-op from then on.
 */
import type { WebSocket } from '@trufflesuite/uws-js-unofficial';
import type { ListenerSocket } from './listener-socket.ts';

export class UwsListenerSocket implements ListenerSocket {
  #closed = false;

  constructor(private readonly ws: WebSocket<unknown>) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** call from the uWS close handler: the native socket is gone */
  markClosed(): void {
    this.#closed = true;
  }

  send(buf: Uint8Array): void {
    if (!this.#closed) this.ws.send(buf, true, false);
  }

  bufferedAmount(): number {
    return this.#closed ? 0 : this.ws.getBufferedAmount();
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    // end() runs the close handler synchronously, which marks us closed
    this.ws.end(code, reason);
  }

  subscribe(topic: string): void {
    if (!this.#closed) this.ws.subscribe(topic);
  }

  unsubscribe(topic: string): void {
    if (!this.#closed) this.ws.unsubscribe(topic);
  }
}
