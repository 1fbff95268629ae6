/**
 * @module bench/raw-ws-client — the lightest WebSocket client we could write for the load generator: a
 * net socket, the RFC 6455 upgrade, and a frame reader that hands each message to its owner as a
 * slice of the received bytes (no copy unless a message spans reads, no per-message objects, and one
 * read buffer shared by every client: bench/shared-read.ts). Enough
 * for a server that sends unfragmented, unmasked frames (what every server sends to a client). Never
 * retries, never buffers more than one partial frame, never throws out of a socket callback: trouble
 * ends in exactly one onClose.
 */
import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import { sharedOnRead } from './shared-read.ts';

/** the code reported when the connection ended without a close frame (RFC 6455 §7.1.5) */
export const ABNORMAL_CLOSURE = 1006;

export interface RawWsHandler {
  /** the server answered 101: the socket is a WebSocket now */
  onOpen(): void;
  /** one complete message in buf[start, end); valid only during the call */
  onMessage(buf: Buffer, start: number, end: number, binary: boolean): void;
  /**
   * called once when it ends: the server's close code, 1006 for a dropped connection, or 0 when the
   * upgrade itself failed (`detail` says why: an HTTP status, a socket error or a protocol fault)
   */
  onClose(code: number, detail: string): void;
}

/** a ws:// URL as a target (the listener sockets may be on a port of their own) */
export function targetOfUrl(url: string): RawWsTarget {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || (u.protocol === 'wss:' ? 443 : 80)), path: u.pathname + u.search };
}

export interface RawWsTarget {
  readonly host: string;
  readonly port: number;
  /** path and query, e.g. /ws/listen?token=… */
  readonly path: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');
// The server only checks the key's form; the accept hash is not checked back (a bench, not a browser).
const KEY = Buffer.alloc(16, 7).toString('base64');

export class RawWsClient {
  readonly #socket: Socket;
  readonly #handler: RawWsHandler;
  #upgraded = false;
  #pending: Buffer | null = null;
  #closed = false;
  #closeCode = ABNORMAL_CLOSURE;
  #detail = '';

  constructor(target: RawWsTarget, handler: RawWsHandler) {
    this.#handler = handler;
    const socket = connect({
      host: target.host,
      port: target.port,
      noDelay: true,
      onread: sharedOnRead((buf, n) => this.#onData(buf, n)),
    });
    this.#socket = socket;
    socket.on('connect', () => {
      socket.write(
        `GET ${target.path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.#detail === '') this.#detail = err.code ?? err.message;
    });
    socket.on('close', () => this.#finish(this.#upgraded ? this.#closeCode : 0, this.#detail || 'connection closed'));
  }

  get open(): boolean {
    return this.#upgraded && !this.#closed;
  }

  /** stop reading: the kernel buffers fill and the server sees a listener that does not keep up */
  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  /** drops the connection without a close handshake (the cheapest way to end thousands) */
  destroy(): void {
    this.#socket.destroy();
  }

  /** a polite close: a masked close frame with `code`, then the end of our side */
  close(code = 1000): void {
    if (!this.open) return this.destroy();
    // Client frames must be masked; an all-zero mask leaves the payload as it is.
    const frame = Buffer.from([0x88, 0x82, 0, 0, 0, 0, code >> 8, code & 0xff]);
    this.#socket.end(frame);
  }

  /** bytes [0, n) of `chunk` arrived; `chunk` is the shared read buffer, so nothing of it is kept */
  #onData(chunk: Buffer, n: number): boolean {
    const joined = this.#pending !== null;
    const buf = joined ? Buffer.concat([this.#pending as Buffer, chunk.subarray(0, n)]) : chunk;
    const length = joined ? buf.length : n;
    this.#pending = null;
    let at = 0;
    if (!this.#upgraded) {
      const end = buf.subarray(0, length).indexOf(HEADER_END);
      if (end < 0) {
        if (length > 8192) return this.#fail('upgrade answer without an end of headers');
        this.#pending = Buffer.from(buf.subarray(0, length));
        return true;
      }
      const status = buf.toString('latin1', 0, Math.min(end, 64)).split(' ')[1] ?? '?';
      if (status !== '101') return this.#fail(`HTTP ${status}`);
      this.#upgraded = true;
      this.#handler.onOpen();
      at = end + HEADER_END.length;
    }
    while (!this.#closed && length - at >= 2) {
      const b0 = buf[at] ?? 0;
      const b1 = buf[at + 1] ?? 0;
      let len = b1 & 0x7f;
      let header = 2;
      if (len === 126) {
        if (length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        header = 4;
      } else if (len === 127) {
        if (length - at < 10) break;
        len = buf.readUInt32BE(at + 2) * 2 ** 32 + buf.readUInt32BE(at + 6);
        header = 10;
      }
      if ((b1 & 0x80) !== 0) return this.#fail('masked frame from the server');
      if (length - at < header + len) break;
      const start = at + header;
      const stop = start + len;
      at = stop;
      const opcode = b0 & 0x0f;
      if ((b0 & 0x80) === 0 || opcode === 0) return this.#fail('fragmented message (not supported by this client)');
      if (opcode === 1 || opcode === 2) this.#handler.onMessage(buf, start, stop, opcode === 2);
      else if (opcode === 8) {
        this.#closeCode = len >= 2 ? buf.readUInt16BE(start) : 1005;
        this.#detail = len > 2 ? buf.toString('utf8', start + 2, stop) : 'close frame';
        this.#socket.destroy();
        return false;
      } else if (opcode === 9) {
        const payload = buf.subarray(start, stop);
        this.#socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
      }
    }
    // The read buffer is shared: a partial frame must be copied out before the next read.
    if (at < length) this.#pending = Buffer.from(buf.subarray(at, length));
    return true;
  }

  #fail(detail: string): false {
    this.#detail = detail;
    this.#socket.destroy();
    return false;
  }

  #finish(code: number, detail: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#handler.onClose(code, detail);
  }
}
