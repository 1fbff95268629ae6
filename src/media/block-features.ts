/**
 * @module block-features — the short features every stage analysis reads, taken once per 10 ms block of
 * a speaker's decoded 48 kHz audio: mean square (full scale = 1) and the zero-crossing rate. Leveling,
 * hot-mic and echo detection work on these 100-per-second numbers instead of the samples, which is what
 * keeps 13 speakers' analysis to a few µs per 20 ms frame. One pass over the samples, no allocation; it
 * must never keep state or look at more than the block it is given.
 */

/** 10 ms at 48 kHz: two blocks per 20 ms frame */
export const BLOCK_SAMPLES = 480;
export const BLOCKS_PER_SECOND = 100;
/** a level for digital silence, so logs never see 0 */
export const SILENCE_DB = -100;

/** crossings are counted only beyond this magnitude (about -54 dBFS), so a silent line's dither is not "noise" */
const ZC_DEADBAND = 0.002 * 32768;

/**
 * Writes [meanSquare, zcr] of `pcm[start, start + BLOCK_SAMPLES)` into `out[at]`, `out[at + 1]`.
 * Samples are 16-bit integers; the mean square is of full-scale-normalised values.
 */
export function blockFeatures(pcm: Int16Array, start: number, out: Float64Array, at: number): void {
  let ss = 0;
  let crossings = 0;
  let sign = 0;
  const end = start + BLOCK_SAMPLES;
  for (let i = start; i < end; i++) {
    const v = pcm[i] ?? 0;
    ss += v * v;
    const s = v > ZC_DEADBAND ? 1 : v < -ZC_DEADBAND ? -1 : 0;
    if (s !== 0) {
      if (sign !== 0 && s !== sign) crossings++;
      sign = s;
    }
  }
  out[at] = ss / (BLOCK_SAMPLES * 32768 * 32768);
  out[at + 1] = crossings / BLOCK_SAMPLES;
}

/** dBFS of a mean square (full scale sine = -3 dB, full scale square = 0 dB) */
export function toDb(meanSquare: number): number {
  return meanSquare > 1e-10 ? 10 * Math.log10(meanSquare) : SILENCE_DB;
}
