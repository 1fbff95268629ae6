/**
 * @module reconnect-policy — when a listener tries again after losing its connection: a one-method
 * policy (null = stop) and a default with full-jitter exponential backoff, so that 15k listeners
 * dropped at once by a failed node come back spread over time instead of in one stampede. Pure: the
 * random source is injectable and no clock is read here.
 */

export interface ReconnectContext {
  /** reconnect attempts already made since the connection was lost (0 before the first retry) */
  readonly attempt: number;
  /** milliseconds since the connection was lost */
  readonly elapsedMs: number;
}

export interface ReconnectPolicy {
  /** delay before the next attempt, or null to give up */
  nextRetryDelayMs(ctx: Readonly<ReconnectContext>): number | null;
}

export interface DefaultReconnectOptions {
  /** backoff ceiling of the first retry (default 250 ms), doubling per attempt */
  readonly baseMs?: number;
  /** the ceiling never exceeds this (default 10 s) */
  readonly maxMs?: number;
  /** stop once the connection has been lost this long (default 10 minutes) */
  readonly giveUpAfterMs?: number;
  /** uniform in [0, 1), like Math.random (the default) */
  readonly random?: () => number;
}

export class DefaultReconnectPolicy implements ReconnectPolicy {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly giveUpAfterMs: number;
  private readonly random: () => number;

  constructor(options: DefaultReconnectOptions = {}) {
    this.baseMs = options.baseMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 10 * 60_000;
    this.random = options.random ?? Math.random;
  }

  nextRetryDelayMs(ctx: Readonly<ReconnectContext>): number | null {
    if (ctx.elapsedMs >= this.giveUpAfterMs) return null;
    // 2 ** attempt overflows to Infinity for huge attempts; Math.min keeps the ceiling finite.
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.max(0, ctx.attempt));
    // Full jitter: anywhere in [0, ceiling), never past the give-up instant.
    return Math.min(Math.floor(this.random() * ceiling), this.giveUpAfterMs - ctx.elapsedMs);
  }
}
