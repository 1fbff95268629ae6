import { describe, expect, it } from 'vitest';
import { blockFeatures, BLOCK_SAMPLES } from './block-features.ts';
import { NoiseDetector } from './noise-detector.ts';
import { toolForTests } from './external-tool.test-helper.ts';
import { sound, soundsAvailable, type SoundName } from './sound-files.test-helper.ts';

/** the 10 ms mean squares of `pcm` */
function meanSquares(pcm: Int16Array): number[] {
  const f = new Float64Array(2);
  const out: number[] = [];
  for (let at = 0; at + BLOCK_SAMPLES <= pcm.length; at += BLOCK_SAMPLES) {
    blockFeatures(pcm, at, f, 0);
    out.push(f[0] ?? 0);
  }
  return out;
}

/** seconds until the detector first says noisy (null: never), and how many evaluations said so */
function run(blocks: readonly number[], repeat = 1): { firstS: number | null; noisyEvals: number; evals: number } {
  const d = new NoiseDetector();
  let firstS: number | null = null;
  let noisyEvals = 0;
  let evals = 0;
  for (let r = 0; r < repeat; r++) {
    blocks.forEach((ms, i) => {
      d.push(ms);
      if ((r * blocks.length + i + 1) % 20 !== 0) return;
      evals++;
      if (!d.noisy) return;
      noisyEvals++;
      firstS ??= (r * blocks.length + i + 1) / 100;
    });
  }
  return { firstS, noisyEvals, evals };
}

const steady = (db: number, seconds: number): number[] => Array.from({ length: seconds * 100 }, () => 10 ** (db / 10));

describe('NoiseDetector on block levels', () => {
  it('calls steady sound noisy within 1.5 s and keeps saying so', () => {
    const r = run(steady(-30, 10));
    expect(r.firstS).not.toBeNull();
    expect(r.firstS!).toBeLessThanOrEqual(1.5);
    expect(r.noisyEvals).toBeGreaterThan(r.evals * 0.85);
  });

  it('never calls a quiet line noisy, however steady (room tone below -45 dBFS)', () => {
    expect(run(steady(-55, 20)).noisyEvals).toBe(0);
  });

  it('calls syllable-like bursts (150 ms sound, 100 ms gap, 25 dB down) speech, not noise', () => {
    const blocks = Array.from({ length: 3000 }, (_, i) => (i % 25 < 15 ? 10 ** (-25 / 10) : 10 ** (-50 / 10)));
    expect(run(blocks).noisyEvals).toBe(0);
  });

  it('calls typing (10-20 ms clicks over a quiet floor) noisy', () => {
    const blocks = Array.from({ length: 2000 }, (_, i) => (i % 17 === 0 || i % 23 === 0 ? 10 ** (-22 / 10) : 10 ** (-60 / 10)));
    const r = run(blocks);
    expect(r.firstS).not.toBeNull();
    expect(r.firstS!).toBeLessThanOrEqual(2);
  });

  it('forgets on reset', () => {
    const d = new NoiseDetector();
    for (const ms of steady(-30, 3)) d.push(ms);
    expect(d.noisy).toBe(true);
    d.reset();
    expect(d.noisy).toBe(false);
    expect(d.kind).toBe('quiet');
  });
});

const real = soundsAvailable() && toolForTests('sox', 'noise detection on LibriVox speech and sox noise/music');
if (!soundsAvailable() && process.env['CI'] === 'true') throw new Error('pocketsphinx-testdata is required with CI=true: apt-get install -y pocketsphinx-testdata');

describe.skipIf(!real)('NoiseDetector on real sounds', () => {
  it('never calls 10 minutes of LibriVox reading noisy (false positives counted: 0)', () => {
    const speech = meanSquares(sound('speech'));
    const r = run(speech, Math.ceil(600 / (speech.length / 100)));
    expect(r.evals).toBeGreaterThan(2900);
    expect(r.noisyEvals).toBe(0);
  });

  it.each<SoundName>(['pink', 'music', 'crowd'])('calls sox %s noisy within 3 s', (name) => {
    const r = run(meanSquares(sound(name)));
    expect(r.firstS).not.toBeNull();
    expect(r.firstS!).toBeLessThanOrEqual(3);
  });
});
