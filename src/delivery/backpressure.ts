/**
 * @module backpressure — what to do with a listener whose socket is not draining: send, skip this batch
 * (it will hear live audio again once it catches up) or close it. A tiny policy with a default; limits
 * are configuration. Called once per listener per batch in the hot path, so it must never allocate,
 * keep state or read a clock: the fan-out passes everything it needs.
 */
export type BackpressureVerdict = 'send' | 'skip' | 'close';

export interface BackpressureContext {
  /** bytes the listener's socket still holds in user space */
  readonly bufferedBytes: number;
  /** how long this listener has been skipped without a break, 0 if its last batch was sent */
  readonly skippedForMs: number;
}

export interface BackpressurePolicy {
  verdict(ctx: Readonly<BackpressureContext>): BackpressureVerdict;
}

export interface BackpressureLimits {
  /** above this many buffered bytes a batch is skipped for that listener (default 64 KiB) */
  readonly maxBufferedBytes: number;
  /** a listener skipped for longer than this is closed with 4008 (default 5000 ms) */
  readonly maxBehindMs: number;
}

export const DEFAULT_BACKPRESSURE_LIMITS: BackpressureLimits = { maxBufferedBytes: 64 * 1024, maxBehindMs: 5000 };

/**
 * Skips while the socket holds more than maxBufferedBytes, so server memory per listener stays under
 * that bound plus one batch; closes once the listener has been over it for longer than maxBehindMs.
 */
export class DefaultBackpressurePolicy implements BackpressurePolicy {
  readonly limits: BackpressureLimits;

  constructor(limits: Partial<BackpressureLimits> = {}) {
    this.limits = { ...DEFAULT_BACKPRESSURE_LIMITS, ...limits };
  }

  verdict(ctx: Readonly<BackpressureContext>): BackpressureVerdict {
    if (ctx.bufferedBytes <= this.limits.maxBufferedBytes) return 'send';
    return ctx.skippedForMs > this.limits.maxBehindMs ? 'close' : 'skip';
  }
}
