/**
 * @module fanout-pacer — how fast a go-live fan-out may tell people, as a tiny policy: how many to take
 * in the next batch, and how long to wait after a batch that told `sent` people and took `tookMs`. The
 * default holds a fixed rate (AMPHI_NOTIFY_RATE per second); an admission-driven pacer that follows the
 * listener nodes' capacity can replace it without touching the worker. Pure arithmetic; no timers.
 */
export interface FanoutPacer {
  batchSize(): number;
  delayAfterMs(sent: number, tookMs: number): number;
}

/** the largest batch: big enough to amortise a transaction, small enough to keep one short */
export const MAX_BATCH = 5_000;

export class FixedRatePacer implements FanoutPacer {
  readonly #rate: number;

  /** `perSecond` 0 means unthrottled (benchmarks) */
  constructor(perSecond: number) {
    if (!Number.isFinite(perSecond) || perSecond < 0) throw new RangeError(`notify rate must be >= 0, got ${perSecond}`);
    this.#rate = perSecond;
  }

  /** about ten batches a second at the configured rate */
  batchSize(): number {
    if (this.#rate === 0) return MAX_BATCH;
    return Math.min(MAX_BATCH, Math.max(1, Math.ceil(this.#rate / 10)));
  }

  delayAfterMs(sent: number, tookMs: number): number {
    if (this.#rate === 0) return 0;
    return Math.max(0, (sent * 1000) / this.#rate - tookMs);
  }
}
