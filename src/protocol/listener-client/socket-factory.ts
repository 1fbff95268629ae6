/**
 * @module socket-factory — how the listener client gets a WebSocket without knowing which library makes
 * it: the browser's WebSocket (browserSocketFactory) or `ws` in Node (delivery/client-socket-ws.ts, for
 * tests and the load generator). A factory opens one socket and reports its life through three
 * callbacks; it must deliver binary messages as ArrayBuffer or Uint8Array and never throw from them.
 */

export interface SocketEvents {
  onOpen(): void;
  /** a string means the server sent text, which the listener protocol never does */
  onMessage(data: ArrayBuffer | Uint8Array | string): void;
  /** called once, also when the socket never opened (then with 1006) */
  onClose(code: number, reason: string): void;
}

export interface ClientSocket {
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, events: SocketEvents) => ClientSocket;

/** The browser's (and Node 22's global) WebSocket. */
export const browserSocketFactory: SocketFactory = (url, events) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => events.onOpen();
  ws.onmessage = (e: MessageEvent<unknown>) => {
    if (e.data instanceof ArrayBuffer || typeof e.data === 'string') events.onMessage(e.data);
    else events.onMessage(String(e.data));
  };
  ws.onclose = (e) => events.onClose(e.code, e.reason);
  return { close: (code, reason) => ws.close(code, reason) };
};
