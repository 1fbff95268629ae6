/**
 * @module rtp-rewriter — keeps one outgoing SFU stream continuous for its receiver while the source
 * behind it changes (another member takes the slot, the member's SSRC changes, or a gate closed for a
 * while). Within one source run it maps sequence numbers and timestamps by a fixed offset, so real
 * losses and reordering pass through unchanged; at a discontinuity it continues from the last output
 * (sequence + 1, timestamp advanced by the wall-clock time since the last packet) and sets the marker
 * bit, as at the start of a talk spurt. Pure: the caller passes `nowMs`; it must never send anything.
 */
import { seqAdd, seqDiff, u32Add } from './rtp-seq.ts';

export interface RtpIn {
  readonly sourceKey: string;
  readonly ssrc: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
}

export interface RtpOut {
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
}

/** A jump larger than this (either way) inside one source run is treated as a restart. */
const MAX_SEQ_JUMP = 1000;
const CLOCK_RATE_PER_MS = 48;

export class RtpRewriter {
  #source: { key: string; ssrc: number } | null = null;
  #seqOffset = 0;
  #tsOffset = 0;
  /** Last output, to continue from at a discontinuity. */
  #last: { seq: number; ts: number; atMs: number } | null;

  constructor(initialSeq: number, initialTs: number) {
    // Start as if a packet had just been sent, so the first real one follows it seamlessly.
    this.#last = { seq: seqAdd(initialSeq, -1), ts: initialTs, atMs: Number.NaN };
  }

  /** `discontinuity`: the source skipped on purpose (a gate was closed), so do not show it as loss. */
  rewrite(p: RtpIn, nowMs: number, discontinuity = false): RtpOut {
    const src = this.#source;
    const sameRun = src !== null && src.key === p.sourceKey && src.ssrc === p.ssrc && !discontinuity;
    if (!sameRun || Math.abs(seqDiff(seqAdd(p.sequenceNumber, this.#seqOffset), this.#last?.seq ?? 0)) > MAX_SEQ_JUMP) {
      this.#rebase(p, nowMs);
      return this.#emit(p, nowMs, true);
    }
    return this.#emit(p, nowMs, p.marker);
  }

  #rebase(p: RtpIn, nowMs: number): void {
    const last = this.#last;
    const outSeq = last ? seqAdd(last.seq, 1) : p.sequenceNumber;
    const elapsed = last && Number.isFinite(last.atMs) ? Math.max(20, nowMs - last.atMs) : 20;
    const outTs = last ? u32Add(last.ts, Math.round(elapsed * CLOCK_RATE_PER_MS)) : p.timestamp;
    this.#seqOffset = seqDiff(outSeq, p.sequenceNumber) & 0xffff;
    this.#tsOffset = (outTs - p.timestamp) >>> 0;
    this.#source = { key: p.sourceKey, ssrc: p.ssrc };
  }

  #emit(p: RtpIn, nowMs: number, marker: boolean): RtpOut {
    const out = { sequenceNumber: seqAdd(p.sequenceNumber, this.#seqOffset), timestamp: u32Add(p.timestamp, this.#tsOffset), marker };
    const last = this.#last;
    // Only move "last" forward: a reordered older packet must not pull the continuation point back.
    if (!last || !Number.isFinite(last.atMs) || seqDiff(out.sequenceNumber, last.seq) > 0) {
      this.#last = { seq: out.sequenceNumber, ts: out.timestamp, atMs: nowMs };
    }
    return out;
  }
}
