/**
 * @module bench/burst-train — the train of tone bursts the delay benches speak: 200 ms on, then gaps
 * that no two share within 150 ms, so the spacing of two heard bursts names the two spoken ones
 * (test/support/onset-pairing) even through 60 ms listener batches. A train of equal gaps cannot tell a
 * 1.3 s delay from a 0.3 s one. Speaks only; pairing is the caller's.
 */
export const BURST_MS = 200;
export const GAPS_MS = [600, 1400, 900, 1700, 750, 1250, 1050, 1550];
/** what a heard onset may be off from its neighbour's by: a 60 ms batch and a 10 ms source frame */
export const TOLERANCE_MS = 70;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** speaks `count` bursts through `setLoud`; returns when each started, on the `now` clock */
export async function speakBursts(count: number, setLoud: (on: boolean) => void, now: () => number): Promise<number[]> {
  const spoken: number[] = [];
  for (let b = 0; b < count; b++) {
    spoken.push(now());
    setLoud(true);
    await sleep(BURST_MS);
    setLoud(false);
    await sleep(GAPS_MS[b % GAPS_MS.length] as number);
  }
  return spoken;
}
