/**
 * @module bench/shared-read — one read buffer for every socket of the load generator (Node's `onread`
 * option): reads run one at a time on the loop and each client handles its bytes inside the callback,
 * so sharing is safe, and the generator stops allocating a fresh buffer for each of its ~60,000 reads
 * a second (garbage it would otherwise measure as the server's delay). A client must never keep a
 * reference into the buffer after its callback returns: it copies what it has to keep.
 */
import { Buffer } from 'node:buffer';
import type { OnReadOpts } from 'node:net';

const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * the `onread` option for net.connect: `received(buf, n)` gets bytes [0, n) of the shared buffer and
 * returns false to stop reading (the socket is being closed)
 */
export function sharedOnRead(received: (buf: Buffer, n: number) => boolean): OnReadOpts {
  return { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => received(buf as Buffer, n) };
}
