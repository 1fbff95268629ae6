/**
 * @module client-socket-ws — the listener client's SocketFactory over the `ws` package, for Node
 * listeners: tests and the load generator. The browser uses protocol's browserSocketFactory instead.
 * Reports every socket error through the close it leads to (ws always closes after an error).
 */
import { WebSocket } from 'ws';
import type { SocketFactory } from '../protocol/listener-client/socket-factory.ts';

export const wsClientSocketFactory: SocketFactory = (url, events) => {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.binaryType = 'arraybuffer';
  ws.on('open', () => events.onOpen());
  ws.on('message', (data, isBinary) => {
    if (!isBinary) events.onMessage(String(data));
    else if (data instanceof ArrayBuffer) events.onMessage(data);
    else events.onMessage(new Uint8Array(Buffer.concat(Array.isArray(data) ? data : [data])));
  });
  // An error (refused connection, bad handshake) is always followed by 'close' with 1006, which is how
  // the connection learns of it; listening here keeps ws from treating the error as unhandled.
  ws.on('error', () => undefined);
  ws.on('close', (code, reason) => events.onClose(code, reason.toString()));
  return { close: (code, reason) => ws.close(code, reason) };
};
