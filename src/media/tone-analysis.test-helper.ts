/**
 * @module tone-analysis (test helper) — measures what a test needs to know about PCM: RMS level, the
 * power at given frequencies (Goertzel), which of several candidate tones dominates, and sine frames
 * to feed codecs and synthetic speakers. Used only by tests and benches; never by the server.
 */

/** RMS of 16-bit samples, as a fraction of full scale (0..1). */
export function rms(samples: ArrayLike<number>, fullScale = 32768): number {
  if (samples.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = (samples[i] ?? 0) / fullScale;
    s += v * v;
  }
  return Math.sqrt(s / samples.length);
}

/** Goertzel power of `freq`, normalised so a full-scale sine at exactly `freq` gives about 0.25. */
export function tonePower(samples: ArrayLike<number>, freq: number, sampleRate = 48_000, fullScale = 32768): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (samples[i] ?? 0) / fullScale + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return power / (n * n);
}

/** Candidate frequencies by power, strongest first. */
export function rankTones(samples: ArrayLike<number>, candidates: readonly number[], sampleRate = 48_000): { freq: number; power: number }[] {
  return candidates.map((freq) => ({ freq, power: tonePower(samples, freq, sampleRate) })).sort((a, b) => b.power - a.power);
}

/** Share of the total power (sum over candidates) held by `freq`. */
export function toneShare(samples: ArrayLike<number>, freq: number, candidates: readonly number[], sampleRate = 48_000): number {
  const ranked = rankTones(samples, [...new Set([freq, ...candidates])], sampleRate);
  const total = ranked.reduce((a, r) => a + r.power, 0);
  return total === 0 ? 0 : (ranked.find((r) => r.freq === freq)?.power ?? 0) / total;
}

/** A generator of consecutive sine frames (phase continues across calls). */
export function sineFrames(freq: number, amplitude: number, sampleRate = 48_000): (samples: number) => Int16Array {
  let n = 0;
  return (samples) => {
    const out = new Int16Array(samples);
    for (let i = 0; i < samples; i++, n++) out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freq * n) / sampleRate));
    return out;
  };
}

export function concatPcm(frames: readonly Int16Array[]): Int16Array {
  let len = 0;
  for (const f of frames) len += f.length;
  const out = new Int16Array(len);
  let o = 0;
  for (const f of frames) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}
