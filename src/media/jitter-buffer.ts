/**
 * @module jitter-buffer — per-speaker playout buffer: reorders packets by RTP sequence number
 * (wraparound safe), holds a small fixed target delay, and hands the mixer exactly one item per 20 ms
 * pull: a packet, a `lost` marker (the caller conceals), or `idle` (nothing to play, nothing to
 * conceal). It drops duplicates and packets that arrive after their turn, skips ahead when the
 * sender's clock runs fast, and resyncs after a long gap. Pure logic: it must never read a clock,
 * decode audio or touch a socket.
 */
import { seqAdd, seqDiff } from './rtp-seq.ts';

export interface JitterBufferOptions {
  /** Packets held before playout starts (and the depth kept afterwards). 2-3 frames = 40-60 ms. */
  readonly targetDelayFrames: number;
  /** Depth above target tolerated before the oldest packets are skipped (sender clock drift, bursts). */
  readonly maxExcessFrames: number;
  /** Consecutive empty pulls concealed before the stream is declared idle (talk-spurt end, stall). */
  readonly maxConcealFrames: number;
  /** A packet this far (in sequence numbers) ahead of or behind the playout point restarts the buffer. */
  readonly resyncDistance: number;
}

export const DEFAULT_JITTER_OPTIONS: JitterBufferOptions = {
  targetDelayFrames: 3,
  maxExcessFrames: 4,
  maxConcealFrames: 5,
  resyncDistance: 100,
};

export type PushResult = 'accepted' | 'duplicate' | 'late' | 'resync';

export type PopResult<T> =
  | { readonly kind: 'packet'; readonly seq: number; readonly payload: T }
  | { readonly kind: 'lost'; readonly seq: number }
  | { readonly kind: 'idle' };

const IDLE = { kind: 'idle' } as const;

/** One state union instead of scattered flags: before first packet, filling up, or playing. */
type State = { readonly kind: 'empty' } | { readonly kind: 'priming' } | { readonly kind: 'playing'; emptyPulls: number };

export class JitterBuffer<T> {
  readonly #opts: JitterBufferOptions;
  readonly #packets = new Map<number, T>();
  #state: State = { kind: 'empty' };
  /** Sequence number of the next packet to hand out (valid unless state is 'empty'). */
  #next = 0;
  /** Highest sequence number held or played, used to measure depth. */
  #newest = 0;

  constructor(options: Partial<JitterBufferOptions> = {}) {
    this.#opts = { ...DEFAULT_JITTER_OPTIONS, ...options };
    if (this.#opts.targetDelayFrames < 1 || this.#opts.resyncDistance <= this.#opts.targetDelayFrames + this.#opts.maxExcessFrames) {
      throw new RangeError('jitter buffer: targetDelayFrames >= 1 and resyncDistance > target + excess');
    }
  }

  /** Packets currently held. */
  get size(): number {
    return this.#packets.size;
  }

  get playing(): boolean {
    return this.#state.kind === 'playing';
  }

  push(seq: number, payload: T): PushResult {
    const s = seq & 0xffff;
    if (this.#state.kind === 'empty') {
      this.#restartAt(s, payload);
      return 'accepted';
    }
    const ahead = seqDiff(s, this.#next);
    if (ahead >= this.#opts.resyncDistance || ahead <= -this.#opts.resyncDistance) {
      this.#restartAt(s, payload);
      return 'resync';
    }
    if (ahead < 0) {
      // Before playout started a reordered earlier packet simply moves the start back.
      if (this.#state.kind === 'priming') {
        this.#packets.set(s, payload);
        this.#next = s;
        return 'accepted';
      }
      return 'late';
    }
    if (this.#packets.has(s)) return 'duplicate';
    this.#packets.set(s, payload);
    if (seqDiff(s, this.#newest) > 0) this.#newest = s;
    return 'accepted';
  }

  /** Called once per frame period by the mixer. */
  pop(): PopResult<T> {
    const st = this.#state;
    if (st.kind === 'empty') return IDLE;
    if (st.kind === 'priming') {
      if (this.#depth() < this.#opts.targetDelayFrames) return IDLE;
      this.#state = { kind: 'playing', emptyPulls: 0 };
    }
    this.#skipExcess();
    const seq = this.#next;
    const payload = this.#packets.get(seq);
    if (payload !== undefined) {
      this.#packets.delete(seq);
      this.#next = seqAdd(seq, 1);
      this.#setEmptyPulls(0);
      return { kind: 'packet', seq, payload };
    }
    if (this.#packets.size > 0) {
      // A later packet is here, so this one is lost (or too late to matter): conceal and move on.
      this.#next = seqAdd(seq, 1);
      this.#setEmptyPulls(0);
      return { kind: 'lost', seq };
    }
    // Nothing buffered: the packet may only be late. Conceal without advancing, so it still plays if it
    // comes; after maxConcealFrames the talk spurt is over and the next packet primes a fresh start.
    const st2 = this.#state;
    const empties = st2.kind === 'playing' ? st2.emptyPulls + 1 : 1;
    if (empties > this.#opts.maxConcealFrames) {
      this.reset();
      return IDLE;
    }
    this.#setEmptyPulls(empties);
    return { kind: 'lost', seq };
  }

  reset(): void {
    this.#packets.clear();
    this.#state = { kind: 'empty' };
  }

  #restartAt(seq: number, payload: T): void {
    this.#packets.clear();
    this.#packets.set(seq, payload);
    this.#next = seq;
    this.#newest = seq;
    this.#state = { kind: 'priming' };
  }

  /** Sequence numbers spanned from the playout point to the newest packet, inclusive. */
  #depth(): number {
    return this.#packets.size === 0 ? 0 : seqDiff(this.#newest, this.#next) + 1;
  }

  #skipExcess(): void {
    const excess = this.#depth() - (this.#opts.targetDelayFrames + this.#opts.maxExcessFrames);
    if (excess <= 0) return;
    const newNext = seqAdd(this.#next, excess + this.#opts.maxExcessFrames);
    for (const s of [...this.#packets.keys()]) {
      if (seqDiff(s, newNext) < 0) this.#packets.delete(s);
    }
    this.#next = newNext;
  }

  #setEmptyPulls(n: number): void {
    if (this.#state.kind === 'playing') this.#state.emptyPulls = n;
  }
}
