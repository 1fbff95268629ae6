/**
 * @module bench/listener-pool — the load generator's listeners: raw WebSocket clients that read every
 * message as docs/protocol.md says, check that seqs follow on, and record each frame's delay (arrival
 * wall time − the server's captureTimeMs) into their group's histogram. One shared arrival time per
 * message and no objects per frame, so the generator stays cheap. It never reconnects by itself: a
 * listener the server closes is counted and gone, which is what the bench must see; a scenario that
 * wants clients that come back (bench/rejoiner.ts) is told of each loss through `onLost`.
 */
import type { Buffer } from 'node:buffer';
import { readListenerMessage, type FrameSink } from './batch-reader.ts';
import { Histogram } from './histogram.ts';
import type { GroupReport, ListenerGroup, OpenReport } from './loadgen-protocol.ts';
import { RawWsClient, type RawWsHandler, type RawWsTarget } from './raw-ws-client.ts';

const STALL_MS = 1000;

/** wall clock with sub-millisecond precision, comparable with the server's Date.now() */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export class GroupStats {
  readonly window = new Histogram();
  /** a second histogram the storm reads and clears per timeline bucket */
  readonly bucket = new Histogram(1, 30_000);
  frames = 0;
  messages = 0;
  bytes = 0;
  framesLost = 0;
  bucketLost = 0;
  duplicates = 0;
  malformed = 0;
  /** frames missing in the largest single seq gap one listener saw (program time skipped, in frames) */
  maxSeqGap = 0;
  /** the longest wait between two frames at one listener, ms (the silence its player would have) */
  maxArrivalGapMs = 0;
  closes: Record<string, number> = {};

  resetWindow(): void {
    this.window.reset();
    this.frames = this.messages = this.bytes = this.framesLost = this.duplicates = this.malformed = this.maxSeqGap = this.maxArrivalGapMs = 0;
    this.closes = {};
  }
}

export class PoolListener implements RawWsHandler, FrameSink {
  readonly client: RawWsClient;
  /** the port it connected to: in a cluster, which edge it is on */
  readonly port: number;
  lastSeq = -1;
  lastFrameAt = 0;
  firstAudioAt = 0;
  /** frames this listener got since the window started: the real-time check is per listener, not a mean */
  windowFrames = 0;
  #arrival = 0;
  #opened = false;

  constructor(
    private readonly pool: ListenerPool,
    public group: ListenerGroup,
    target: RawWsTarget,
    private readonly events: {
      opened?: (l: PoolListener) => void;
      firstAudio?: (l: PoolListener) => void;
      closed?: (l: PoolListener, code: number, detail: string) => void;
      /** a text message: a direct join's place in line (docs/protocol.md) */
      text?: (l: PoolListener, text: string) => void;
    } = {},
  ) {
    this.port = target.port;
    this.client = new RawWsClient(target, this);
  }

  onOpen(): void {
    this.#opened = true;
    this.pool.live.add(this);
    this.events.opened?.(this);
  }

  onMessage(buf: Buffer, start: number, end: number, binary: boolean): void {
    if (!binary && this.events.text !== undefined) {
      this.events.text(this, buf.toString('utf8', start, end));
      return;
    }
    const stats = this.pool.stats[this.group];
    this.#arrival = wallNow();
    stats.messages++;
    stats.bytes += end - start;
    if (readListenerMessage(buf, start, end, this) === 'malformed') stats.malformed++;
  }

  frame(seq: number, captureTimeMs: number): void {
    const stats = this.pool.stats[this.group];
    const delay = this.#arrival - captureTimeMs;
    stats.window.record(delay);
    stats.bucket.record(delay);
    stats.frames++;
    this.windowFrames++;
    if (this.lastSeq >= 0) {
      if (seq > this.lastSeq + 1) {
        const gap = seq - this.lastSeq - 1;
        stats.framesLost += gap;
        stats.bucketLost += gap;
        if (gap > stats.maxSeqGap) stats.maxSeqGap = gap;
      } else if (seq <= this.lastSeq) stats.duplicates++;
    }
    if (this.lastFrameAt > 0 && this.#arrival - this.lastFrameAt > stats.maxArrivalGapMs) stats.maxArrivalGapMs = this.#arrival - this.lastFrameAt;
    if (seq > this.lastSeq) this.lastSeq = seq;
    this.lastFrameAt = this.#arrival;
    if (this.firstAudioAt === 0) {
      this.firstAudioAt = this.#arrival;
      this.events.firstAudio?.(this);
    }
  }

  streamState(): void {
    // The state notice carries nothing the bench measures; audio batches mean live.
  }

  onClose(code: number, detail: string): void {
    if (this.#opened) {
      this.pool.live.delete(this);
      const closes = this.pool.stats[this.group].closes;
      const key = String(code);
      closes[key] = (closes[key] ?? 0) + 1;
    }
    this.events.closed?.(this, code, detail);
    if (this.#opened) this.pool.onLost?.(this, code);
  }
}

export class ListenerPool {
  readonly live = new Set<PoolListener>();
  /** told of every open listener whose socket ended (the server closed it, or its node died) */
  onLost: ((l: PoolListener, code: number) => void) | null = null;
  readonly stats: Record<ListenerGroup, GroupStats> = { base: new GroupStats(), slow: new GroupStats(), storm: new GroupStats() };

  count(group: ListenerGroup): number {
    let n = 0;
    for (const l of this.live) if (l.group === group) n++;
    return n;
  }

  /** opens `count` base listeners, at most `concurrency` handshakes at a time, each given `timeoutMs` */
  open(target: RawWsTarget, count: number, concurrency: number, onProgress: (done: number) => void, timeoutMs = 15_000): Promise<OpenReport> {
    const started = Date.now();
    const failures: Record<string, number> = {};
    let launched = 0;
    let opened = 0;
    let failed = 0;
    return new Promise((resolve) => {
      const settle = (): void => {
        onProgress(opened + failed);
        if (opened + failed === count) {
          clearInterval(progress);
          resolve({ opened, failed, failures, ms: Date.now() - started, total: this.live.size });
        } else launch();
      };
      const progress = setInterval(() => onProgress(opened + failed), 250);
      const launch = (): void => {
        while (launched < count && launched - opened - failed < concurrency) {
          launched++;
          let done = false;
          const timer = setTimeout(() => l.client.destroy(), timeoutMs);
          const l: PoolListener = new PoolListener(this, 'base', target, {
            opened: () => {
              done = true;
              clearTimeout(timer);
              opened++;
              settle();
            },
            closed: (_l, code, detail) => {
              if (done) return;
              done = true;
              clearTimeout(timer);
              failed++;
              const key = code === 0 ? detail : `closed ${code}`;
              failures[key] = (failures[key] ?? 0) + 1;
              settle();
            },
          });
        }
      };
      if (count === 0) settle();
      else launch();
    });
  }

  /** the report of one group since its last resetWindow */
  report(group: ListenerGroup, now = wallNow()): GroupReport {
    const s = this.stats[group];
    let listeners = 0;
    let stalled = 0;
    let fewest = Number.POSITIVE_INFINITY;
    for (const l of this.live) {
      if (l.group !== group) continue;
      listeners++;
      if (now - l.lastFrameAt > STALL_MS) stalled++;
      if (l.windowFrames < fewest) fewest = l.windowFrames;
    }
    return {
      listeners,
      delay: s.window.summary(),
      frames: s.frames,
      messages: s.messages,
      bytes: s.bytes,
      framesLost: s.framesLost,
      duplicates: s.duplicates,
      malformed: s.malformed,
      stalled,
      closes: { ...s.closes },
      minListenerFrames: listeners === 0 ? 0 : fewest,
      maxSeqGap: s.maxSeqGap,
      maxArrivalGapMs: s.maxArrivalGapMs,
    };
  }

  resetWindow(): void {
    for (const s of Object.values(this.stats)) s.resetWindow();
    for (const l of this.live) l.windowFrames = 0;
  }

  /** moves `share` of the base listeners to the slow group and stops reading them */
  pause(share: number): number {
    const want = Math.floor(this.count('base') * share);
    let n = 0;
    for (const l of this.live) {
      if (n >= want) break;
      if (l.group !== 'base') continue;
      l.group = 'slow';
      l.client.pause();
      n++;
    }
    return n;
  }

  resumeSlow(): number {
    let n = 0;
    for (const l of this.live) {
      if (l.group !== 'slow') continue;
      l.client.resume();
      n++;
    }
    return n;
  }

  closeAll(): number {
    // the bench's own closing is no loss to come back from
    this.onLost = null;
    const all = [...this.live];
    for (const l of all) l.client.destroy();
    this.live.clear();
    return all.length;
  }
}
