/**
 * @module noise-detector — tells a stage member's speech from the other sounds an open microphone
 * carries (steady noise, music or TV, a crowd, typing), from 10 ms block levels alone. Speech comes in
 * syllables: over 1.5 s its level swings by 12 dB or more between words and sounds, and most of its
 * loud blocks come in runs of 50 ms or longer. Steady noise, music beds and crowds swing less (measured
 * on LibriVox speech against sox pink/brown noise, a synth pad and arpeggio and a five-voice babble:
 * speech's smallest 1.5 s swing was 11.3 dB, the others' largest 11.0 dB); typing swings a lot but in
 * clicks of 10-20 ms. A member is `noisy` once `holdEvaluations` evaluations in a row (one every
 * `everyBlocks`) found sound above `soundDb` that is not speech-like. Pure arithmetic on numbers it is
 * given; it must never see samples, know who the member is, or decide anything about muting.
 */
import { SILENCE_DB, toDb } from './block-features.ts';

export interface NoiseDetectorOptions {
  /** blocks (10 ms) looked at per evaluation */
  readonly windowBlocks: number;
  /** blocks between evaluations */
  readonly everyBlocks: number;
  /** the loud end of the window (its 95th percentile) must reach this, dBFS, to count as sound at all */
  readonly soundDb: number;
  /** speech swings at least this much, dB, between the window's 10th and 90th percentiles */
  readonly speechSwingDb: number;
  /** and at least this share of its loud blocks sit in runs of `runBlocks` or more */
  readonly speechRunShare: number;
  readonly runBlocks: number;
  /** consecutive non-speech evaluations before the member is noisy */
  readonly holdEvaluations: number;
}

export const DEFAULT_NOISE_DETECTOR: NoiseDetectorOptions = {
  windowBlocks: 150,
  everyBlocks: 20,
  soundDb: -45,
  speechSwingDb: 12,
  speechRunShare: 0.6,
  runBlocks: 5,
  holdEvaluations: 5,
};

/** what the last evaluation found */
export type SoundKind = 'quiet' | 'speech' | 'noise';

export class NoiseDetector {
  readonly #o: NoiseDetectorOptions;
  readonly #levels: Float64Array;
  readonly #sorted: Float64Array;
  #head = 0;
  #filled = 0;
  #sinceEval = 0;
  #noiseRun = 0;
  #kind: SoundKind = 'quiet';

  constructor(options: Partial<NoiseDetectorOptions> = {}) {
    this.#o = { ...DEFAULT_NOISE_DETECTOR, ...options };
    this.#levels = new Float64Array(this.#o.windowBlocks).fill(SILENCE_DB);
    this.#sorted = new Float64Array(this.#o.windowBlocks);
  }

  /** the last evaluation's verdict on the window */
  get kind(): SoundKind {
    return this.#kind;
  }

  /** sound that is not speech, held long enough to tell the member and the hosts */
  get noisy(): boolean {
    return this.#noiseRun >= this.#o.holdEvaluations;
  }

  /** one 10 ms block's mean square (full scale = 1); evaluates every `everyBlocks` blocks */
  push(meanSquare: number): void {
    this.#levels[this.#head] = toDb(meanSquare);
    this.#head = (this.#head + 1) % this.#o.windowBlocks;
    if (this.#filled < this.#o.windowBlocks) this.#filled++;
    if (++this.#sinceEval < this.#o.everyBlocks) return;
    this.#sinceEval = 0;
    this.#kind = this.#evaluate();
    this.#noiseRun = this.#kind === 'noise' ? this.#noiseRun + 1 : 0;
  }

  /** forget everything (the member's audio stopped: muted, reconnected) */
  reset(): void {
    this.#levels.fill(SILENCE_DB);
    this.#head = 0;
    this.#filled = 0;
    this.#sinceEval = 0;
    this.#noiseRun = 0;
    this.#kind = 'quiet';
  }

  #evaluate(): SoundKind {
    const o = this.#o;
    // a third of a window is enough to call it; less would judge one word
    if (this.#filled < o.windowBlocks / 3) return 'quiet';
    const n = this.#filled;
    const sorted = this.#sorted.subarray(0, n);
    sorted.set(n === o.windowBlocks ? this.#levels : this.#levels.subarray(0, n));
    sorted.sort();
    const p10 = sorted[Math.floor(n * 0.1)] ?? SILENCE_DB;
    const p90 = sorted[Math.floor(n * 0.9)] ?? SILENCE_DB;
    // the 95th percentile: sparse clicks (typing) are sound too, though they fill less than a tenth of the time
    if ((sorted[Math.floor(n * 0.95)] ?? SILENCE_DB) < o.soundDb) return 'quiet';
    if (p90 - p10 < o.speechSwingDb) return 'noise';
    return this.#runShare(p90 - 10) >= o.speechRunShare ? 'speech' : 'noise';
  }

  /** share of the blocks above `loud` that belong to runs of at least `runBlocks`, in time order */
  #runShare(loud: number): number {
    const o = this.#o;
    const n = this.#filled;
    const start = n === o.windowBlocks ? this.#head : 0;
    let loudBlocks = 0;
    let inRuns = 0;
    let run = 0;
    for (let k = 0; k <= n; k++) {
      const isLoud = k < n && (this.#levels[(start + k) % o.windowBlocks] ?? SILENCE_DB) > loud;
      if (isLoud) {
        run++;
        loudBlocks++;
      } else {
        if (run >= o.runBlocks) inRuns += run;
        run = 0;
      }
    }
    return loudBlocks === 0 ? 0 : inRuns / loudBlocks;
  }
}
