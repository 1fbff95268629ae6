/**
 * @module listener-socket — the three things delivery needs from any WebSocket library, so the hub runs
 * unchanged on `ws` (socket-ws.ts) and later on uWebSockets.js. Implementations must not throw from
 * send or close on a socket that is already closing; the hub guards anyway and counts what throws.
 */
export interface ListenerSocket {
  /** queue one binary message; the same buffer is handed to many sockets and must not be changed */
  send(buf: Uint8Array): void;
  /** bytes accepted by send but not yet handed to the kernel */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}
