/**
 * @module bench/histogram — a fixed-resolution delay histogram for the load generator: recording is one
 * array increment (no allocation, no sorting), so millions of frame delays per window cost nothing the
 * measurement would notice. Percentiles are the upper edge of the bucket holding the rank, so a
 * reported p99 is never below the true one by more than one bucket. It must never grow while recording.
 */

export interface DelaySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export const EMPTY_SUMMARY: DelaySummary = { count: 0, p50: 0, p99: 0, max: 0, mean: 0 };

export class Histogram {
  readonly #buckets: Uint32Array;
  readonly #resolution: number;
  #count = 0;
  #sum = 0;
  #max = 0;

  /** `resolution` ms per bucket; values above `rangeMs` land in the last bucket (max stays exact). */
  constructor(resolution = 0.5, rangeMs = 30_000) {
    this.#resolution = resolution;
    this.#buckets = new Uint32Array(Math.ceil(rangeMs / resolution) + 1);
  }

  record(valueMs: number): void {
    const v = valueMs > 0 ? valueMs : 0;
    const last = this.#buckets.length - 1;
    const i = Math.floor(v / this.#resolution);
    const k = i < last ? i : last;
    this.#buckets[k] = (this.#buckets[k] ?? 0) + 1;
    this.#count++;
    this.#sum += v;
    if (v > this.#max) this.#max = v;
  }

  get count(): number {
    return this.#count;
  }

  /** the value at quantile q (0..1): the upper edge of its bucket, capped at the exact max */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    const b = this.#buckets;
    for (let i = 0; i < b.length; i++) {
      seen += b[i] ?? 0;
      // The last bucket holds everything above the range: its only known edge is the max.
      if (seen >= rank) return i === b.length - 1 ? this.#max : Math.min((i + 1) * this.#resolution, this.#max);
    }
    return this.#max;
  }

  summary(): DelaySummary {
    if (this.#count === 0) return EMPTY_SUMMARY;
    return { count: this.#count, p50: this.quantile(0.5), p99: this.quantile(0.99), max: this.#max, mean: this.#sum / this.#count };
  }

  reset(): void {
    this.#buckets.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }
}
