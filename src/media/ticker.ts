/**
 * @module ticker — what drives the mixer's 20 ms cadence. `Ticker` is the seam: `DriftFreeTicker`
 * schedules each tick against the start time (tick n is due at start + n·period), so timer lateness
 * never accumulates; after a stall it runs the missed ticks back to back up to a bound, then skips
 * the rest (a program stream that falls far behind should jump to now, not replay the past) and says
 * so through `onSkip`: dropped program time is a failure someone must see, never a silent one.
 * `ManualTicker` is stepped by tests and benches. It must never know what a tick does.
 */

export interface Ticker {
  start(onTick: () => void): void;
  stop(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * how early a timer may fire and still count as its tick. Node's timers count whole milliseconds from a
 * loop time that can be stale, so they fire up to ~1 ms before a fractional due time; treating that as
 * "not yet" cost a second wake-up for nearly every tick (275 timer wake-ups for 149 ticks measured).
 */
const EARLY_MS = 2;

export interface DriftFreeTickerOptions {
  readonly periodMs: number;
  /** Most ticks run back to back after a stall before the schedule jumps to now. */
  readonly maxCatchUp?: number;
  readonly clock?: Clock;
  /** told each time ticks are dropped, with how many */
  readonly onSkip?: (ticks: number) => void;
}

export class DriftFreeTicker implements Ticker {
  readonly #period: number;
  readonly #maxCatchUp: number;
  readonly #clock: Clock;
  #startAt = 0;
  /** Ticks run (or skipped) since start. */
  #done = 0;
  #timer: unknown = null;
  #onTick: (() => void) | null = null;
  #skipped = 0;
  readonly #onSkip: ((ticks: number) => void) | undefined;

  constructor(options: DriftFreeTickerOptions) {
    if (!(options.periodMs > 0)) throw new RangeError('ticker: periodMs must be > 0');
    this.#period = options.periodMs;
    this.#maxCatchUp = options.maxCatchUp ?? 5;
    this.#clock = options.clock ?? systemClock;
    this.#onSkip = options.onSkip;
  }

  /** Ticks dropped because the process stalled longer than maxCatchUp periods. */
  get skippedTicks(): number {
    return this.#skipped;
  }

  start(onTick: () => void): void {
    if (this.#onTick) return;
    this.#onTick = onTick;
    this.#startAt = this.#clock.now();
    this.#done = 0;
    this.#schedule();
  }

  stop(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#onTick = null;
  }

  #schedule(): void {
    const dueAt = this.#startAt + (this.#done + 1) * this.#period;
    this.#timer = this.#clock.setTimeout(() => this.#fire(), Math.max(0, dueAt - this.#clock.now()));
  }

  #fire(): void {
    this.#timer = null;
    const due = Math.floor((this.#clock.now() - this.#startAt + EARLY_MS) / this.#period);
    let behind = due - this.#done;
    if (behind > this.#maxCatchUp) {
      const dropped = behind - this.#maxCatchUp;
      this.#skipped += dropped;
      this.#done += dropped;
      behind = this.#maxCatchUp;
      this.#onSkip?.(dropped);
    }
    for (let i = 0; i < behind; i++) {
      const cb = this.#onTick;
      if (!cb) return; // stopped from inside a tick
      this.#done++;
      cb();
    }
    if (this.#onTick) this.#schedule();
  }
}

export class ManualTicker implements Ticker {
  #onTick: (() => void) | null = null;

  start(onTick: () => void): void {
    this.#onTick = onTick;
  }

  stop(): void {
    this.#onTick = null;
  }

  get running(): boolean {
    return this.#onTick !== null;
  }

  step(n = 1): void {
    for (let i = 0; i < n && this.#onTick; i++) this.#onTick();
  }
}
