import { describe, expect, it } from 'vitest';
import type { StormResult } from './results.ts';
import { directUrlOf, listenerSeconds, medianStorm } from './scenario-storm.ts';

describe('listenerSeconds', () => {
  it('counts the listeners already in for the whole storm and each join from the middle of its bucket', () => {
    expect(listenerSeconds(100, [])).toBe(0);
    expect(listenerSeconds(100, [{ durMs: 1000, admitted: 0 }])).toBe(100);
    // 100 in for 2 s; 50 joined during the first second (half a second each on average), then stayed 1 s
    expect(listenerSeconds(100, [{ durMs: 1000, admitted: 50 }, { durMs: 1000, admitted: 0 }])).toBe(125 + 150);
  });
});

describe('directUrlOf', () => {
  it('turns the listener port ticket URL into the direct join URL of the same room', () => {
    expect(directUrlOf('http://127.0.0.1:8081/api/rooms/ab%20c/listen')).toBe('ws://127.0.0.1:8081/ws/listen?room=ab%20c');
  });
});

describe('medianStorm', () => {
  const run = (joinsPerSecondPerCore: number) => ({ joinsPerSecondPerCore }) as unknown as StormResult;

  it('keeps the median run by joins per core-second and lists every run in order', () => {
    const m = medianStorm([run(9_840), run(16_768), run(13_942)]);
    expect(m.joinsPerSecondPerCore).toBe(13_942);
    expect(m.repeats).toEqual([9_840, 16_768, 13_942]);
  });

  it('takes the lower middle of an even count, and a single run as it is', () => {
    expect(medianStorm([run(4), run(1), run(3), run(2)]).joinsPerSecondPerCore).toBe(2);
    const one = run(7);
    expect(medianStorm([one])).toBe(one);
    expect(() => medianStorm([])).toThrow();
  });
});
