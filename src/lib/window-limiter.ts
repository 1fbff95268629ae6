/**
 * @module window-limiter — a fixed-window counter per key ("at most N in W ms"), used to cap sign-ups
 * per address (sign-in failures are counted in the store: control/sign-in-guard.ts). Pure bookkeeping:
 * time comes in as `now`; old windows are swept so memory stays bounded by the keys seen within one
 * window.
 */
export interface WindowLimit {
  readonly max: number;
  readonly windowMs: number;
}

export class WindowLimiter {
  readonly #limit: WindowLimit;
  readonly #windows = new Map<string, { start: number; count: number }>();
  #lastSweep = 0;

  constructor(limit: WindowLimit) {
    this.#limit = limit;
  }

  /** ms until `key` may try again, or 0 when it may try now */
  retryAfterMs(key: string, now: number): number {
    const w = this.#windows.get(key);
    if (!w || now - w.start >= this.#limit.windowMs) return 0;
    return w.count >= this.#limit.max ? w.start + this.#limit.windowMs - now : 0;
  }

  /** count one more attempt for `key` */
  hit(key: string, now: number): void {
    this.#sweep(now);
    const w = this.#windows.get(key);
    if (!w || now - w.start >= this.#limit.windowMs) this.#windows.set(key, { start: now, count: 1 });
    else w.count += 1;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.#limit.windowMs) return;
    this.#lastSweep = now;
    for (const [k, w] of this.#windows) if (now - w.start >= this.#limit.windowMs) this.#windows.delete(k);
  }
}
