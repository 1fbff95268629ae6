/**
 * @module seq-tracker — keeps a listener's place in the stream: the last seq it accepted, and counts of
 * gaps (frames it never got: skipped as too slow, or lost beyond the server's ring) and duplicates
 * (frames it already had, possible after resuming on another node). Duplicates are dropped here so a
 * player never hears a frame twice. Pure.
 */
import type { AudioFrame } from '../listener-frame.ts';

export interface SeqStats {
  readonly frames: number;
  /** times the stream jumped forward */
  readonly gaps: number;
  /** frames missing across all gaps */
  readonly missedFrames: number;
  readonly duplicates: number;
}

export class SeqTracker {
  private last: number | null;
  private counts = { frames: 0, gaps: 0, missedFrames: 0, duplicates: 0 };

  constructor(lastSeq: number | null = null) {
    this.last = lastSeq;
  }

  get lastSeq(): number | null {
    return this.last;
  }

  get stats(): SeqStats {
    return { ...this.counts };
  }

  /** Forgets the place in the stream, so the next frame starts it afresh (a deliberate jump to live). */
  reset(): void {
    this.last = null;
  }

  /** Returns the frames to play, in order, without those already had; counts gaps and duplicates. */
  accept(frames: readonly AudioFrame[]): readonly AudioFrame[] {
    let out: AudioFrame[] | null = null;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as AudioFrame;
      if (this.last !== null && f.seq <= this.last) {
        this.counts.duplicates++;
        // Copy lazily: the common case (no duplicates) returns the input array untouched.
        out ??= frames.slice(0, i);
        continue;
      }
      if (this.last !== null && f.seq > this.last + 1) {
        this.counts.gaps++;
        this.counts.missedFrames += f.seq - this.last - 1;
      }
      this.last = f.seq;
      this.counts.frames++;
      out?.push(f);
    }
    return out ?? frames;
  }
}
