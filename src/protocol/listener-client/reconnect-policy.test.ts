import { describe, it, expect } from 'vitest';
import { DefaultReconnectPolicy } from './reconnect-policy.ts';

describe('DefaultReconnectPolicy', () => {
  it('doubles the ceiling from 250 ms per attempt up to a 10 s cap', () => {
    const top = new DefaultReconnectPolicy({ random: () => 0.999999 });
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 50, 5000].map((attempt) => top.nextRetryDelayMs({ attempt, elapsedMs: 0 }));
    expect(ceilings).toEqual([249, 499, 999, 1999, 3999, 7999, 9999, 9999, 9999, 9999]);
  });

  it('draws the delay uniformly under the ceiling (full jitter)', () => {
    const draws = [0, 0.5, 0.25];
    let i = 0;
    const p = new DefaultReconnectPolicy({ random: () => draws[i++] ?? 0 });
    expect([0, 1, 2].map(() => p.nextRetryDelayMs({ attempt: 2, elapsedMs: 0 }))).toEqual([0, 500, 250]);
  });

  it('gives up after 10 minutes and never schedules a retry past that instant', () => {
    const p = new DefaultReconnectPolicy({ random: () => 0.999999 });
    expect(p.nextRetryDelayMs({ attempt: 9, elapsedMs: 599_000 })).toBe(1000);
    expect(p.nextRetryDelayMs({ attempt: 9, elapsedMs: 600_000 })).toBeNull();
  });

  it('follows the limits it is given', () => {
    const p = new DefaultReconnectPolicy({ baseMs: 100, maxMs: 300, giveUpAfterMs: 1000, random: () => 0.999999 });
    expect([0, 1, 2].map((attempt) => p.nextRetryDelayMs({ attempt, elapsedMs: 0 }))).toEqual([99, 199, 299]);
    expect(p.nextRetryDelayMs({ attempt: 0, elapsedMs: 1000 })).toBeNull();
  });
});
