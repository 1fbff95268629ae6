/** @module bench/histogram.test — the delay histogram's percentiles, max and reset. */
import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.ts';

describe('Histogram', () => {
  it('reports percentiles as the upper edge of their bucket and the exact max', () => {
    const h = new Histogram(1, 1000);
    for (let v = 1; v <= 100; v++) h.record(v - 0.5);
    const s = h.summary();
    expect(s.count).toBe(100);
    expect(s.p50).toBe(50);
    expect(s.p99).toBe(99);
    expect(s.max).toBe(99.5);
    expect(s.mean).toBeCloseTo(50, 5);
  });

  it('counts values above its range in the last bucket but keeps their max', () => {
    const h = new Histogram(1, 10);
    h.record(5);
    h.record(5000);
    expect(h.quantile(1)).toBe(5000);
    expect(h.summary().max).toBe(5000);
  });

  it('treats negative delays (clock jitter) as zero', () => {
    const h = new Histogram();
    h.record(-3);
    expect(h.summary()).toMatchObject({ count: 1, p50: 0, max: 0 });
  });

  it('is empty after reset', () => {
    const h = new Histogram();
    h.record(10);
    h.reset();
    expect(h.summary()).toEqual({ count: 0, p50: 0, p99: 0, max: 0, mean: 0 });
  });
});
