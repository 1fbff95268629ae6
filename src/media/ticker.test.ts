import { describe, it, expect } from 'vitest';
import { DriftFreeTicker, ManualTicker, type Clock } from './ticker.ts';

/** A clock the test moves by hand; timers fire when time passes them, possibly late. */
class FakeClock implements Clock {
  t = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #id = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#id;
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.#timers.delete(h as number);
  }
  /** Advance to `to`, firing each due timer `lateMs` after it was due. */
  advance(to: number, lateMs = 0): void {
    for (;;) {
      const next = [...this.#timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at + lateMs > to) break;
      this.#timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at + lateMs);
      next[1].fn();
    }
    this.t = to;
  }
}

describe('DriftFreeTicker', () => {
  it('keeps n ticks in n periods even when every timer fires late', () => {
    const clock = new FakeClock();
    const ticker = new DriftFreeTicker({ periodMs: 20, clock });
    let ticks = 0;
    ticker.start(() => ticks++);
    clock.advance(10_000, 7); // each timer 7 ms late: a setInterval would drift to ~370 ticks
    expect(ticks).toBeGreaterThanOrEqual(499);
    expect(ticks).toBeLessThanOrEqual(500);
    ticker.stop();
  });

  it('runs missed ticks back to back after a short stall and skips beyond maxCatchUp', () => {
    const clock = new FakeClock();
    const told: number[] = [];
    const ticker = new DriftFreeTicker({ periodMs: 20, clock, maxCatchUp: 5, onSkip: (n) => told.push(n) });
    let ticks = 0;
    ticker.start(() => ticks++);
    clock.advance(100);
    expect(ticks).toBe(5);
    clock.advance(180, 80); // the timer due at 120 fires at 200? no: at 120+80 > 180, nothing yet
    expect(ticks).toBe(5);
    clock.advance(200, 80); // fires at 200: 10 due, 5 done -> 5 run
    expect(ticks).toBe(10);
    clock.t = 1000; // a 800 ms stall: 40 due, only maxCatchUp run
    clock.advance(1000, 0);
    expect(ticks).toBe(15);
    expect(ticker.skippedTicks).toBe(35);
    expect(told).toEqual([35]); // said once, with the count: never a silent loss
    ticker.stop();
    clock.advance(2000);
    expect(ticks).toBe(15);
  });
});

describe('ManualTicker', () => {
  it('runs exactly the steps asked for, and none after stop', () => {
    const t = new ManualTicker();
    let n = 0;
    t.start(() => n++);
    t.step(3);
    t.stop();
    t.step(3);
    expect(n).toBe(3);
  });
});
