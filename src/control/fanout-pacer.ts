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

/** what the pacer needs to know of the listener nodes' waiting line */
export interface AdmissionPressure {
  /** listeners waiting in line now */
  readonly waiting: number;
  /** joins the node admits per second at most */
  readonly joinsPerSecond: number;
}

/**
 * Follows admission: never tells people faster than the node can admit the joins that follow
 * (min of the configured rate and the join rate), and slows to a tenth while a line longer than one
 * second's worth of joins is waiting, so notices never feed a storm the node is already queueing.
 */
export class AdmissionPacer implements FanoutPacer {
  readonly #rate: number;
  readonly #admission: AdmissionPressure;

  constructor(perSecond: number, admission: AdmissionPressure) {
    if (!Number.isFinite(perSecond) || perSecond < 0) throw new RangeError(`notify rate must be >= 0, got ${perSecond}`);
    this.#rate = perSecond;
    this.#admission = admission;
  }

  /** notices per second allowed now */
  rate(): number {
    const cap = Math.min(this.#rate === 0 ? Infinity : this.#rate, this.#admission.joinsPerSecond);
    return this.#admission.waiting > this.#admission.joinsPerSecond ? Math.max(1, cap / 10) : cap;
  }

  batchSize(): number {
    return Math.min(MAX_BATCH, Math.max(1, Math.ceil(this.rate() / 10)));
  }

  delayAfterMs(sent: number, tookMs: number): number {
    return Math.max(0, (sent * 1000) / this.rate() - tookMs);
  }
}
