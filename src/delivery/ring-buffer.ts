/**
 * @module ring-buffer — the last N program frames of one stream, by seq, for resuming listeners:
 * O(1) append, O(log N) lookup of "the frames after seq S". Fixed memory: it never grows past N
 * frames. It must never copy frames or hold more than it was sized for.
 */
import type { AudioFrame } from '../protocol/listener-frame.ts';
import { DeliveryError } from './delivery-error.ts';

/** 5 s of 20 ms frames */
export const DEFAULT_RING_FRAMES = 250;

export class FrameRing {
  private readonly slots: (AudioFrame | undefined)[];
  /** index of the oldest frame */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number = DEFAULT_RING_FRAMES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw DeliveryError.invalidConfig(`ring capacity ${capacity}`);
    this.slots = new Array<AudioFrame | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  get oldestSeq(): number | null {
    return this.count === 0 ? null : this.at(0).seq;
  }

  get newestSeq(): number | null {
    return this.count === 0 ? null : this.at(this.count - 1).seq;
  }

  /** Appends a frame; seqs must strictly increase (gaps are allowed: a frame the mixer never made). */
  push(frame: AudioFrame): void {
    const newest = this.newestSeq;
    if (newest !== null && frame.seq <= newest) throw DeliveryError.seqNotIncreasing(frame.seq, newest);
    if (this.count < this.capacity) {
      this.slots[(this.head + this.count) % this.capacity] = frame;
      this.count++;
    } else {
      this.slots[this.head] = frame;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  /** The frames with seq > afterSeq, oldest first; null if the ring cannot tell (see `range`). */
  since(afterSeq: number): AudioFrame[] | null {
    const newest = this.newestSeq;
    return newest === null ? null : this.range(afterSeq, newest);
  }

  /**
   * The frames with afterSeq < seq <= throughSeq, oldest first. Null when the ring does not cover
   * afterSeq: frames right after it were already dropped (too old), or afterSeq is newer than anything
   * held (from the future, e.g. another node's numbering). An empty array means "nothing missed".
   */
  range(afterSeq: number, throughSeq: number): AudioFrame[] | null {
    const oldest = this.oldestSeq;
    const newest = this.newestSeq;
    if (oldest === null || newest === null) return null;
    if (afterSeq < oldest - 1 || afterSeq > newest) return null;
    const out: AudioFrame[] = [];
    for (let i = this.firstIndexAfter(afterSeq); i < this.count; i++) {
      const f = this.at(i);
      if (f.seq > throughSeq) break;
      out.push(f);
    }
    return out;
  }

  private at(i: number): AudioFrame {
    const f = this.slots[(this.head + i) % this.capacity];
    // Unreachable while 0 <= i < count; a wrong index is a bug in this class, not the caller's.
    if (f === undefined) throw new RangeError(`ring slot ${i} of ${this.count} is empty`);
    return f;
  }

  /** logical index of the first frame with seq > afterSeq (count if none) */
  private firstIndexAfter(afterSeq: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).seq > afterSeq) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
