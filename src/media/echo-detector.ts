/**
 * @module echo-detector — finds a stage member whose microphone picks up what the stage sends them
 * (their speakers playing the others back): it correlates the member's 10 ms amplitude envelope with
 * the envelope of their mix-minus (everyone they hear) at every delay from `minLagBlocks` to
 * `maxLagBlocks` (60-400 ms: a device's playout plus capture path), with exponentially forgotten sums,
 * so each block costs a few multiplications per delay instead of a cross-correlation of samples. An
 * echo is a correlation above `onCorrelation` at a delay that stays put for `holdEvaluations`
 * evaluations; two people talking correlate weakly and at wandering delays. It also estimates the echo's
 * gain, so `echoOnly` can tell a block that is just the echo (keep it out of the program) from the member
 * talking over it. Pure arithmetic on envelopes; it must never see samples or decide a mute.
 */

export interface EchoDetectorOptions {
  readonly minLagBlocks: number;
  readonly maxLagBlocks: number;
  /** blocks of memory of the correlation sums (exponential) */
  readonly memoryBlocks: number;
  readonly everyBlocks: number;
  readonly onCorrelation: number;
  /** below this the echo is over (hysteresis) */
  readonly offCorrelation: number;
  /** evaluations in a row with the same delay (± 2 blocks) before an echo is declared */
  readonly holdEvaluations: number;
  /** evaluations in a row below `offCorrelation` before it is cleared */
  readonly releaseEvaluations: number;
  /** the mix-minus must have been sounding (above this amplitude) for this share of the memory */
  readonly refActiveAmplitude: number;
  readonly refActiveShare: number;
  /** echoes weaker than this (linear amplitude gain) are inaudible: never flagged */
  readonly minGain: number;
  /** `echoOnly`: the member's block is echo unless it is this many times the predicted echo */
  readonly talkOverFactor: number;
}

export const DEFAULT_ECHO_DETECTOR: EchoDetectorOptions = {
  minLagBlocks: 6,
  maxLagBlocks: 40,
  memoryBlocks: 250,
  everyBlocks: 10,
  onCorrelation: 0.5,
  offCorrelation: 0.3,
  holdEvaluations: 8,
  releaseEvaluations: 30,
  refActiveAmplitude: 0.003,
  refActiveShare: 0.25,
  minGain: 0.03,
  talkOverFactor: 2.5,
};

export class EchoDetector {
  readonly #o: EchoDetectorOptions;
  readonly #lags: number;
  /** ring of the mix-minus envelope, long enough for the largest delay */
  readonly #ref: Float64Array;
  /** the same ring, block-to-block changes: what is correlated (see push) */
  readonly #dref: Float64Array;
  /** the member's and the mix-minus's last two amplitudes */
  #m1 = 0;
  #m2 = 0;
  #r1 = 0;
  #r2 = 0;
  #refHead = 0;
  readonly #decay: number;
  // forgetting sums: the member's side is the same at every delay; the reference side is per delay
  #sx = 0;
  #sxx = 0;
  #w = 0;
  #refActive = 0;
  readonly #sy: Float64Array;
  readonly #syy: Float64Array;
  readonly #sxy: Float64Array;
  #sinceEval = 0;
  #lastLag = -1;
  #sameLag = 0;
  #below = 0;
  #echo = false;
  #bestLag = 0;
  #bestCorr = 0;
  #gain = 0;

  constructor(options: Partial<EchoDetectorOptions> = {}) {
    this.#o = { ...DEFAULT_ECHO_DETECTOR, ...options };
    this.#lags = this.#o.maxLagBlocks - this.#o.minLagBlocks + 1;
    this.#ref = new Float64Array(this.#o.maxLagBlocks + 1);
    this.#dref = new Float64Array(this.#o.maxLagBlocks + 1);
    this.#decay = 1 - 1 / this.#o.memoryBlocks;
    this.#sy = new Float64Array(this.#lags);
    this.#syy = new Float64Array(this.#lags);
    this.#sxy = new Float64Array(this.#lags);
  }

  get echo(): boolean {
    return this.#echo;
  }

  /** the delay of the echo path, ms (meaningful while `echo`) */
  get delayMs(): number {
    return (this.#o.minLagBlocks + this.#bestLag) * 10;
  }

  get correlation(): number {
    return this.#bestCorr;
  }

  /** the echo's amplitude relative to what the member hears */
  get gain(): number {
    return this.#gain;
  }

  /**
   * One 10 ms block: the member's amplitude (RMS, full scale 1) and their mix-minus's amplitude (RMS of
   * the sum of what the stage sends them).
   */
  push(memberAmp: number, mixMinus: number): void {
    const o = this.#o;
    const d = this.#decay;
    const len = this.#ref.length;
    this.#refHead = (this.#refHead + 1) % len;
    this.#ref[this.#refHead] = mixMinus;
    // Correlate the envelopes' changes, not the envelopes: an echo repeats every rise and fall at one
    // delay, while two people who merely fall silent together share slow swings at every delay. The
    // change over two blocks, not one, so a delay that falls between blocks still correlates well.
    const member = memberAmp - this.#m2;
    this.#m2 = this.#m1;
    this.#m1 = memberAmp;
    this.#dref[this.#refHead] = mixMinus - this.#r2;
    this.#r2 = this.#r1;
    this.#r1 = mixMinus;
    this.#w = this.#w * d + 1;
    this.#sx = this.#sx * d + member;
    this.#sxx = this.#sxx * d + member * member;
    this.#refActive = this.#refActive * d + (mixMinus > o.refActiveAmplitude ? 1 : 0);
    for (let k = 0; k < this.#lags; k++) {
      const y = this.#dref[(this.#refHead - o.minLagBlocks - k + len) % len] ?? 0;
      this.#sy[k] = (this.#sy[k] ?? 0) * d + y;
      this.#syy[k] = (this.#syy[k] ?? 0) * d + y * y;
      this.#sxy[k] = (this.#sxy[k] ?? 0) * d + member * y;
    }
    if (++this.#sinceEval >= o.everyBlocks) {
      this.#sinceEval = 0;
      this.#evaluate();
    }
  }

  /**
   * whether the member's latest block (amplitude `member`) is explained by the echo of what they heard
   * `delayMs` ago: true only while an echo is declared and the member is not clearly talking over it
   */
  echoOnly(member: number): boolean {
    if (!this.#echo) return false;
    const len = this.#ref.length;
    const at = this.#o.minLagBlocks + this.#bestLag;
    // the loudest of the neighbouring delays: the path's delay jitters by a block or so
    let y = 0;
    for (let j = -2; j <= 2; j++) {
      const lag = Math.min(len - 1, Math.max(1, at + j));
      y = Math.max(y, this.#ref[(this.#refHead - lag + len) % len] ?? 0);
    }
    return member < this.#o.talkOverFactor * this.#gain * y + 1e-4;
  }

  reset(): void {
    this.#ref.fill(0);
    this.#dref.fill(0);
    this.#m1 = this.#m2 = this.#r1 = this.#r2 = 0;
    this.#sy.fill(0);
    this.#syy.fill(0);
    this.#sxy.fill(0);
    this.#sx = this.#sxx = this.#w = this.#refActive = 0;
    this.#sinceEval = 0;
    this.#lastLag = -1;
    this.#sameLag = this.#below = 0;
    this.#echo = false;
    this.#bestCorr = this.#gain = 0;
  }

  #evaluate(): void {
    const o = this.#o;
    const w = this.#w;
    const varX = this.#sxx / w - (this.#sx / w) ** 2;
    let best = -1;
    let bestK = 0;
    let bestGain = 0;
    if (varX > 1e-12 && this.#refActive >= o.refActiveShare * w) {
      const mx = this.#sx / w;
      for (let k = 0; k < this.#lags; k++) {
        const my = (this.#sy[k] ?? 0) / w;
        const varY = (this.#syy[k] ?? 0) / w - my * my;
        if (varY <= 1e-12) continue;
        const cov = (this.#sxy[k] ?? 0) / w - mx * my;
        const r = cov / Math.sqrt(varX * varY);
        if (r > best) {
          best = r;
          bestK = k;
          bestGain = cov / varY;
        }
      }
    }
    this.#bestCorr = Math.max(0, best);
    const steady = this.#lastLag >= 0 && Math.abs(bestK - this.#lastLag) <= 2;
    this.#lastLag = bestK;
    if (best >= o.onCorrelation && bestGain >= o.minGain && steady) this.#sameLag++;
    else this.#sameLag = 0;
    if (!this.#echo) {
      if (this.#sameLag >= o.holdEvaluations) {
        this.#echo = true;
        this.#below = 0;
        this.#bestLag = bestK;
        this.#gain = bestGain;
      }
      return;
    }
    if (best < o.offCorrelation) {
      if (++this.#below >= o.releaseEvaluations) this.#echo = false;
      return;
    }
    this.#below = 0;
    if (best >= o.offCorrelation && steady) {
      this.#bestLag = bestK;
      // the gain estimate only ever follows the echo, never a moment of double talk (which inflates it)
      if (best >= o.onCorrelation) this.#gain = bestGain;
    }
  }
}
