/**
 * @module limiter — the mix bus's soft limiter, without look-ahead: a peak envelope with instant attack
 * and exponential release drives a gain that maps the envelope through a soft knee (linear below the
 * knee, tanh-shaped above, asymptotic to the ceiling). Because the envelope is never below the current
 * sample's magnitude, |out| < ceiling for any input: no clipping however many speakers sum. Below the
 * knee the gain is exactly 1, so one speaker at normal level passes untouched (no pumping), and the
 * slow release avoids gain flutter on loud talk. Pure DSP on Float32 samples (1.0 = full scale); it
 * must never allocate per call or know about packets.
 */

export interface LimiterOptions {
  /** Envelope level (full scale = 1) where gain reduction starts. */
  readonly knee: number;
  /**
   * Output never reaches this magnitude. The default, 0.89 (-1 dBFS), leaves the headroom lossy codecs
   * need: with 0.98, Opus-decoded peaks of 13 summed full-scale tones reached full scale (measured).
   */
  readonly ceiling: number;
  /** Time for the envelope to fall by 1/e after a peak. */
  readonly releaseMs: number;
  readonly sampleRate: number;
}

export const DEFAULT_LIMITER_OPTIONS: LimiterOptions = { knee: 0.7, ceiling: 0.89, releaseMs: 200, sampleRate: 48_000 };

export class SoftLimiter {
  readonly #knee: number;
  readonly #span: number;
  readonly #release: number;
  #env = 0;

  constructor(options: Partial<LimiterOptions> = {}) {
    const o = { ...DEFAULT_LIMITER_OPTIONS, ...options };
    if (!(o.knee > 0 && o.knee < o.ceiling && o.ceiling <= 1) || !(o.releaseMs > 0)) {
      throw new RangeError('limiter: need 0 < knee < ceiling <= 1 and releaseMs > 0');
    }
    this.#knee = o.knee;
    this.#span = o.ceiling - o.knee;
    this.#release = Math.exp(-1 / ((o.releaseMs / 1000) * o.sampleRate));
  }

  /** Current envelope (for tests and metrics). */
  get envelope(): number {
    return this.#env;
  }

  /** Limits `buf` in place. */
  process(buf: Float32Array): void {
    const knee = this.#knee;
    const span = this.#span;
    const rel = this.#release;
    let env = this.#env;
    for (let i = 0; i < buf.length; i++) {
      const x = buf[i] ?? 0;
      const mag = x < 0 ? -x : x;
      env = mag > env ? mag : env * rel;
      if (env > knee) {
        const target = knee + span * Math.tanh((env - knee) / span);
        buf[i] = x * (target / env);
      }
    }
    this.#env = env;
  }
}
