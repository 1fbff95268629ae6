/** @module reaction-limiter.test — 5 reactions per person per sliding second; extra ones dropped, never queued. For tests only. */
import { describe, expect, it } from 'vitest';
import { allowReaction } from './reaction-limiter.ts';
import { LIMITS } from './limits.ts';

/** Feeds reactions at the given times through one person's window; returns which were allowed. */
function run(times: readonly number[]): boolean[] {
  let window: readonly number[] = [];
  return times.map((t) => {
    const r = allowReaction(window, t);
    window = r.window;
    return r.allowed;
  });
}

describe('reaction limiter', () => {
  it('allows 5 reactions in a second and drops the sixth', () => {
    expect(LIMITS.reactionsPerSecond).toBe(5);
    expect(run([0, 10, 20, 30, 40, 50])).toEqual([true, true, true, true, true, false]);
  });

  it('the window slides: a reaction is allowed again once the oldest is 1000 ms old', () => {
    expect(run([0, 100, 200, 300, 400, 999, 1000, 1001, 1099, 1100])).toEqual([
      true, true, true, true, true, false, true, false, false, true,
    ]);
  });

  it('dropped reactions are not queued and do not extend the wait', () => {
    const spam = Array.from({ length: 50 }, (_, i) => i * 10); // 0..490 ms
    const allowed = run([...spam, 1000]);
    expect(allowed.filter(Boolean)).toHaveLength(6);
    expect(allowed.at(-1)).toBe(true);
  });

  it('a steady 5 per second is never throttled', () => {
    const times = Array.from({ length: 50 }, (_, i) => i * 200);
    expect(run(times).every(Boolean)).toBe(true);
  });

  it('forgets reactions older than a second so the window stays small', () => {
    const r = allowReaction([0, 100, 200], 5000);
    expect(r.window).toEqual([5000]);
  });

  it('does not change the window it was given', () => {
    const w = [0, 1, 2];
    allowReaction(w, 3);
    expect(w).toEqual([0, 1, 2]);
  });
});
