import { describe, expect, it } from 'vitest';
import type { GroupReport } from './loadgen-protocol.ts';
import { realTimeOf } from './scenario-fanout.ts';

const group = (listeners: number, frames: number, minListenerFrames: number): GroupReport => ({
  listeners,
  frames,
  minListenerFrames,
  delay: { count: frames, p50: 100, p99: 200, max: 220, mean: 110 },
  messages: 0,
  bytes: 0,
  framesLost: 0,
  duplicates: 0,
  malformed: 0,
  stalled: 0,
  closes: {},
});

describe('realTimeOf: what a listener lived through', () => {
  it('passes a window where every listener got the room in real time', () => {
    const rt = realTimeOf({ wallMs: 10_000, skippedTicks: 0, serverBatchMs: 160, base: group(1000, 500 * 1000, 496) });
    expect(rt.ok).toBe(true);
    expect(rt.meanFps).toBeCloseTo(50, 5);
  });

  it("fails the step the old rule called met: 19,500 listeners got 33.5 frames a second (docs/benchmarks.json, 2026-11-30)", () => {
    const rt = realTimeOf({ wallMs: 10_000, skippedTicks: 0, serverBatchMs: 160, base: group(19_500, 6_533_112, 330) });
    expect(rt.ok).toBe(false);
    expect(rt.why).toMatch(/33\.5 frames\/s per listener/);
  });

  it('fails when the server dropped a tick, even if the mean looks whole, and when it cannot tell', () => {
    expect(realTimeOf({ wallMs: 10_000, skippedTicks: 3, serverBatchMs: 160, base: group(10, 5000, 500) }).ok).toBe(false);
    expect(realTimeOf({ wallMs: 10_000, skippedTicks: null, serverBatchMs: 160, base: group(10, 5000, 500) }).ok).toBe(false);
  });

  it('fails when one listener fell short by more than a batch while the mean held', () => {
    const rt = realTimeOf({ wallMs: 10_000, skippedTicks: 0, serverBatchMs: 160, base: group(1000, 500 * 1000, 480) });
    expect(rt.ok).toBe(false);
    expect(rt.why).toMatch(/a listener got 48\.0/);
  });
});
