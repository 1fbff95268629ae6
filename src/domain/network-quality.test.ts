import { describe, expect, it } from 'vitest';
import { assessNetwork, NETWORK_LIMITS } from './network-quality.ts';

const sample = (rttMs: number | null, lossPct: number | null, jitterMs: number | null) => ({ rttMs, lossPct, jitterMs });

describe('assessNetwork', () => {
  it('calls a link good when every figure is under the fair limit, or not measured yet', () => {
    expect(assessNetwork(sample(40, 0, 5))).toEqual({ level: 'good', problem: null });
    expect(assessNetwork(sample(null, null, null))).toEqual({ level: 'good', problem: null });
  });

  it('names the worst figure: poor loss outweighs fair delay', () => {
    expect(assessNetwork(sample(250, 8, 10))).toEqual({ level: 'poor', problem: 'loss' });
    expect(assessNetwork(sample(450, 1, 10))).toEqual({ level: 'poor', problem: 'delay' });
    expect(assessNetwork(sample(50, 0, 80))).toEqual({ level: 'poor', problem: 'jitter' });
  });

  it('on a tie blames loss before delay before jitter, and each limit starts its level', () => {
    const { fair, poor } = NETWORK_LIMITS;
    expect(assessNetwork(sample(fair.rttMs, fair.lossPct, fair.jitterMs))).toEqual({ level: 'fair', problem: 'loss' });
    expect(assessNetwork(sample(poor.rttMs, 0, poor.jitterMs))).toEqual({ level: 'poor', problem: 'delay' });
    expect(assessNetwork(sample(fair.rttMs - 1, fair.lossPct - 0.1, fair.jitterMs - 1)).level).toBe('good');
  });

  it('treats a figure that is not a number as unmeasured rather than as bad', () => {
    expect(assessNetwork(sample(Number.NaN, Number.POSITIVE_INFINITY, 5))).toEqual({ level: 'good', problem: null });
  });
});
