/**
 * The onset pairing behind every mouth-to-ear figure, on synthetic trains: it measures a delay shorter
 * than the gaps between bursts and one longer than them, and refuses, rather than pairing a burst with
 * the wrong one, when the delay is beyond its window or its horizon or the train is too regular.
 */
import { describe, expect, it } from 'vitest';
import { BURST_GAPS_S } from '../e2e/audio-signals.ts';
import { onsetsOf, OnsetPairingError, pairOnsets } from './onset-pairing.ts';

/** the browser test's host file: bursts 60 ms long, then the irregular gaps, looped three times after ~6 s of speech */
function browserTrain(): number[] {
  const out: number[] = [];
  let t = 1000;
  for (let loop = 0; loop < 3; loop++) {
    t += 6600;
    for (const gap of BURST_GAPS_S) {
      out.push(t);
      t += 60 + gap * 1000;
    }
  }
  return out;
}

/** a fixed wobble of ±8 ms per burst, as render quanta and clock mapping give */
const wobble = (i: number): number => ((i * 7) % 17) - 8;
const heardAfter = (spoken: readonly number[], delayMs: number): number[] => spoken.map((s, i) => s + delayMs + wobble(i));
const OPTIONS = { windowMs: 2000, toleranceMs: 25 };

function pairingError(f: () => unknown): OnsetPairingError {
  try {
    f();
  } catch (e) {
    if (e instanceof OnsetPairingError) return e;
    throw e;
  }
  throw new Error('the pairing paired');
}

describe('pairing heard bursts with spoken ones', () => {
  it('measures a delay shorter than the gaps between bursts', () => {
    const spoken = browserTrain();
    const { delays, unpaired } = pairOnsets(spoken, heardAfter(spoken, 310), OPTIONS);
    expect(unpaired).toBe(0);
    expect(delays).toHaveLength(spoken.length);
    for (const d of delays) expect(Math.abs(d - 310)).toBeLessThanOrEqual(8);
  });

  it('measures a delay longer than the gaps between bursts, which nearest-before pairing reads as ~0.3 s', () => {
    const spoken = browserTrain();
    const { delays } = pairOnsets(spoken, heardAfter(spoken, 1300), OPTIONS);
    expect(delays).toHaveLength(spoken.length);
    for (const d of delays) expect(Math.abs(d - 1300)).toBeLessThanOrEqual(8);
  });

  it('keeps the rest when bursts go unheard and other sounds are heard', () => {
    const spoken = browserTrain();
    const heard = heardAfter(spoken, 400).filter((_, i) => i % 5 !== 2);
    heard.push(spoken[3] as number + 777, spoken[10] as number + 123);
    const { delays, unpaired } = pairOnsets(spoken, heard, OPTIONS);
    expect(unpaired).toBeGreaterThanOrEqual(2);
    for (const d of delays) expect(Math.abs(d - 400)).toBeLessThanOrEqual(8);
  });

  it('fails, not mis-pairs, when the delay is beyond its window', () => {
    const spoken = browserTrain();
    expect(pairingError(() => pairOnsets(spoken, heardAfter(spoken, 2600), OPTIONS)).code).toBe('beyond_window');
  });

  it('fails, not mis-pairs, when the delay is beyond its horizon', () => {
    const spoken = browserTrain();
    expect(pairingError(() => pairOnsets(spoken, heardAfter(spoken, 6500), OPTIONS)).code).toBe('too_few_pairs');
  });

  it('fails, not mis-pairs, on a regular train whose delay is longer than its period', () => {
    // 200 ms bursts once a second, what the benches sent: a 1.3 s delay looks like 0.3 s to any pairing
    const spoken = Array.from({ length: 30 }, (_, i) => 1000 + i * 1000);
    expect(pairingError(() => pairOnsets(spoken, heardAfter(spoken, 1300), { windowMs: 900, toleranceMs: 25 })).code).toBe('too_few_pairs');
    expect(pairingError(() => pairOnsets(spoken, heardAfter(spoken, 300), { windowMs: 900, toleranceMs: 25 })).code).toBe('too_few_pairs');
  });

  it("tells the browser test's gaps apart at its 25 ms tolerance", () => {
    const gaps = BURST_GAPS_S.map((g) => g * 1000);
    for (const [i, a] of gaps.entries()) for (const b of gaps.slice(i + 1)) expect(Math.abs(a - b)).toBeGreaterThanOrEqual(2 * 25);
  });

  it('fails when nothing was heard', () => {
    expect(pairingError(() => pairOnsets(browserTrain(), [], OPTIONS)).code).toBe('too_few_pairs');
  });
});

describe('onsets in a stream of chunks', () => {
  it('takes each loud chunk after a quiet stretch, once per burst, batches sharing a time', () => {
    const chunks = [
      { at: 0, loud: false },
      { at: 60, loud: true },
      { at: 60, loud: true },
      { at: 120, loud: true },
      { at: 180, loud: false },
      { at: 240, loud: true },
      { at: 900, loud: true },
    ];
    expect(onsetsOf(chunks, 300)).toEqual([60, 900]);
  });
});
