/**
 * @module bench/icecast-listeners — the load generator's Icecast listeners: plain HTTP GET clients on
 * raw net sockets (no HTTP library) that read the response header, then only Ogg page boundaries
 * (bench/ogg-page-reader.ts), and hand each page with one shared arrival time per read to the delay
 * and loss accounting (bench/icecast-delay.ts). The first listener opened after a reset is the
 * reference that fixes t0. Like the WebSocket pool, it never reconnects: a listener Icecast drops is
 * counted and gone, which is what the bench must see.
 */
import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import { freshPosition, IcecastDelayStats, type StreamPosition } from './icecast-delay.ts';
import { wallNow } from './listener-pool.ts';
import type { IcecastGroupReport, IcecastTarget, OpenReport } from './loadgen-protocol.ts';
import { OggPageReader, type OggPage, type OggPageSink } from './ogg-page-reader.ts';
import { sharedOnRead } from './shared-read.ts';

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 8192;

class IcecastListener implements OggPageSink {
  readonly #socket: Socket;
  readonly #reader = new OggPageReader(this);
  readonly pos: StreamPosition = freshPosition();
  #header: Buffer | null = Buffer.alloc(0);
  #arrival = 0;
  #detail = '';
  #opened = false;
  /** closed by the bench (a reset or the end), not by Icecast: not counted as a close */
  #dropped = false;

  constructor(
    private readonly pool: IcecastPool,
    target: IcecastTarget,
    private readonly events: { opened(l: IcecastListener): void; closed(l: IcecastListener, opened: boolean, detail: string): void },
  ) {
    const socket = connect({ host: target.host, port: target.port, noDelay: true, onread: sharedOnRead((buf, n) => this.#onData(buf.subarray(0, n))) });
    this.#socket = socket;
    socket.on('connect', () => socket.write(`GET ${target.path} HTTP/1.0\r\nHost: ${target.host}:${target.port}\r\nUser-Agent: amphi-bench\r\n\r\n`));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.#detail === '') this.#detail = err.code ?? err.message;
    });
    socket.on('close', () =>
      events.closed(this, this.#opened && !this.#dropped, this.#detail || (this.#opened ? 'ended by the server' : 'closed before a response')),
    );
  }

  /** gives up on a listener that got no response in time */
  timeout(ms: number): void {
    this.#fail(`no response within ${ms / 1000} s`);
  }

  /** ends this listener on the bench's side (a reset, the end of a run) */
  destroy(): void {
    if (this.#opened) this.#dropped = true;
    this.#socket.destroy();
  }

  page(p: OggPage): void {
    this.pool.stats.page(this.pos, p, this.#arrival, this === this.pool.reference);
  }

  garbage(skipped: number): void {
    this.pool.stats.garbage(skipped);
  }

  /** `chunk` is a view of the shared read buffer (bench/shared-read.ts): the reader copies what it keeps */
  #onData(chunk: Buffer): boolean {
    this.#arrival = wallNow();
    if (this.#header === null) {
      this.#reader.push(chunk);
      return true;
    }
    const buf = this.#header.length === 0 ? chunk : Buffer.concat([this.#header, chunk]);
    const end = buf.indexOf(HEADER_END);
    if (end < 0) {
      if (buf.length > MAX_HEADER_BYTES) return this.#fail('response without an end of headers');
      this.#header = Buffer.from(buf);
      return true;
    }
    this.#header = null;
    const status = buf.toString('latin1', 0, Math.min(end, 64)).split(' ')[1] ?? '?';
    if (status !== '200') return this.#fail(`HTTP ${status}`);
    this.#opened = true;
    this.events.opened(this);
    const rest = buf.subarray(end + HEADER_END.length);
    if (rest.length > 0) this.#reader.push(rest);
    return true;
  }

  #fail(detail: string): false {
    this.#detail = detail;
    this.#socket.destroy();
    return false;
  }
}

export class IcecastPool {
  readonly live = new Set<IcecastListener>();
  stats = new IcecastDelayStats(wallNow());
  reference: IcecastListener | null = null;
  #stallMs = 1000;
  #closes: Record<string, number> = {};

  /** closes every listener and starts over: a new feeder start (t0's base) and stall limit */
  reset(feederStartWallMs: number, stallMs: number): void {
    this.closeAll();
    this.stats = new IcecastDelayStats(feederStartWallMs);
    this.reference = null;
    this.#stallMs = stallMs;
    this.#closes = {};
  }

  resetWindow(): void {
    this.stats.resetWindow();
    this.#closes = {};
  }

  /**
   * Opens `count` listeners, at most `concurrency` connecting at a time, each given `timeoutMs` for its
   * response: icecast2 listens with a backlog of 5 and answers a new listener from its source thread,
   * so under a burst of connects the kernel drops SYNs and the client retries after 1 s, 3 s, 7 s, …
   * as a browser would; the generous timeout lets those in rather than count them as failures.
   */
  open(target: IcecastTarget, count: number, concurrency: number, onProgress: (done: number) => void, timeoutMs = 60_000): Promise<OpenReport> {
    const started = Date.now();
    const failures: Record<string, number> = {};
    let launched = 0;
    let opened = 0;
    let failed = 0;
    this.stats.clearJoins();
    return new Promise((resolve) => {
      const progress = setInterval(() => onProgress(opened + failed), 250);
      const settle = (): void => {
        if (opened + failed === count) {
          clearInterval(progress);
          onProgress(count);
          resolve({ opened, failed, failures, ms: Date.now() - started, total: this.live.size });
        } else launch();
      };
      const launch = (): void => {
        while (launched < count && launched - opened - failed < concurrency) {
          launched++;
          let done = false;
          const timer = setTimeout(() => l.timeout(timeoutMs), timeoutMs);
          const l: IcecastListener = new IcecastListener(this, target, {
            opened: (me) => {
              done = true;
              clearTimeout(timer);
              opened++;
              this.live.add(me);
              // The first listener of a run is the reference: it sees Icecast idle, so it fixes t0.
              this.reference ??= me;
              settle();
            },
            closed: (me, wasOpen, detail) => {
              if (wasOpen) {
                this.live.delete(me);
                this.#closes[detail] = (this.#closes[detail] ?? 0) + 1;
              }
              if (done) return;
              done = true;
              clearTimeout(timer);
              failed++;
              failures[detail] = (failures[detail] ?? 0) + 1;
              settle();
            },
          });
        }
      };
      if (count === 0) settle();
      else launch();
    });
  }

  report(now = wallNow()): IcecastGroupReport {
    let stalled = 0;
    for (const l of this.live) if (now - l.pos.lastPageAt > this.#stallMs) stalled++;
    return {
      ...this.stats.report(),
      listeners: this.live.size,
      stalled,
      referenceConnected: this.reference !== null && this.live.has(this.reference),
      closes: { ...this.#closes },
    };
  }

  closeAll(): number {
    const all = [...this.live];
    for (const l of all) l.destroy();
    this.live.clear();
    return all.length;
  }
}
