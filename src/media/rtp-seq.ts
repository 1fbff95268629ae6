/**
 * @module rtp-seq — wraparound-safe arithmetic on RTP sequence numbers (16 bit) and timestamps (32 bit).
 * Pure functions; must never hold state or touch sockets.
 */

/** Signed distance `a - b` between two 16-bit sequence numbers, in [-32768, 32767]. */
export function seqDiff(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

export function seqAdd(a: number, delta: number): number {
  return (a + delta) & 0xffff;
}

export function u32Add(a: number, delta: number): number {
  return (a + delta) >>> 0;
}

/** Signed distance `a - b` between two 32-bit RTP timestamps. */
export function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}
