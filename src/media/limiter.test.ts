import { describe, it, expect } from 'vitest';
import { SoftLimiter } from './limiter.ts';

const tone = (freq: number, amp: number, n: number, phase = 0): Float32Array => {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / 48_000 + phase);
  return out;
};

describe('SoftLimiter', () => {
  it('never lets the sum of 13 full-scale tones reach full scale', () => {
    const lim = new SoftLimiter();
    const freqs = [220, 277, 330, 392, 440, 494, 523, 587, 659, 698, 784, 880, 988];
    let peak = 0;
    let peakIn = 0;
    for (let frame = 0; frame < 100; frame++) {
      const buf = new Float32Array(960);
      for (const [k, f] of freqs.entries()) {
        for (let i = 0; i < 960; i++) buf[i]! += Math.sin((2 * Math.PI * f * (frame * 960 + i)) / 48_000 + k);
      }
      for (const v of buf) peakIn = Math.max(peakIn, Math.abs(v));
      lim.process(buf);
      for (const v of buf) peak = Math.max(peak, Math.abs(v));
    }
    expect(peakIn).toBeGreaterThan(5);
    expect(peak).toBeLessThanOrEqual(Math.fround(0.89)); // the ceiling, well short of clipping at 1.0
    expect(peak).toBeGreaterThan(0.7); // limited, not muted
  });

  it('passes a single speaker below the knee bit-exactly (no gain change, no pumping)', () => {
    const lim = new SoftLimiter({ knee: 0.7 });
    const input = tone(440, 0.6, 48_000);
    const buf = input.slice();
    lim.process(buf);
    expect(buf).toEqual(input);
  });

  it('releases smoothly: after a loud burst the gain recovers without a jump between samples', () => {
    const lim = new SoftLimiter({ releaseMs: 100 });
    const loud = tone(440, 3, 4800);
    lim.process(loud);
    const quiet = tone(440, 0.69, 48_000);
    const copy = quiet.slice();
    lim.process(quiet);
    // Gain per sample (where the input is not near zero) moves monotonically back towards 1.
    let prevGain = 0;
    let maxStep = 0;
    for (let i = 0; i < copy.length; i++) {
      const x = copy[i]!;
      if (Math.abs(x) < 0.3) continue;
      const g = quiet[i]! / x;
      if (prevGain !== 0) maxStep = Math.max(maxStep, prevGain - g);
      prevGain = g;
    }
    expect(maxStep).toBeLessThan(1e-3); // never drops again while releasing
    expect(prevGain).toBeCloseTo(1, 3); // fully recovered after a second
  });

  it('rejects a knee above the ceiling', () => {
    expect(() => new SoftLimiter({ knee: 0.99, ceiling: 0.9 })).toThrow(RangeError);
  });
});
