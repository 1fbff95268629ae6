import { describe, expect, it } from 'vitest';
import { AdmissionPacer, FixedRatePacer } from './fanout-pacer.ts';

describe('AdmissionPacer', () => {
  it('never notifies faster than the node admits joins', () => {
    const p = new AdmissionPacer(50_000, { waiting: 0, joinsPerSecond: 2_000 });
    expect(p.rate()).toBe(2_000);
    expect(p.batchSize()).toBe(200);
    expect(p.delayAfterMs(200, 0)).toBe(100);
  });

  it('keeps the configured rate when it is below the join rate', () => {
    expect(new AdmissionPacer(500, { waiting: 0, joinsPerSecond: 2_000 }).rate()).toBe(500);
  });

  it('slows to a tenth while more than a second of joins waits in line, and recovers when the line drains', () => {
    const pressure = { waiting: 5_000, joinsPerSecond: 2_000 };
    const p = new AdmissionPacer(10_000, pressure);
    expect(p.rate()).toBe(200);
    pressure.waiting = 10;
    expect(p.rate()).toBe(2_000);
  });

  it('treats 0 (unthrottled) as "as fast as admission allows"', () => {
    expect(new AdmissionPacer(0, { waiting: 0, joinsPerSecond: 3_000 }).rate()).toBe(3_000);
  });
});

describe('FixedRatePacer', () => {
  it('holds a fixed rate in about ten batches a second', () => {
    const p = new FixedRatePacer(1_000);
    expect(p.batchSize()).toBe(100);
    expect(p.delayAfterMs(100, 30)).toBe(70);
  });
});
