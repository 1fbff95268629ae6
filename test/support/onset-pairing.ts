/**
 * @module test/support/onset-pairing — pairs the onsets of a train of sound bursts as heard (a listener's
 * output or socket) with the same onsets as spoken (a microphone or a synthetic source), for the
 * mouth-to-ear figures of the browser test and the benches. The bursts are spaced irregularly, so the
 * time between two heard onsets names which two spoken bursts they were: a heard onset is paired only
 * when exactly one pair of spoken onsets explains it together with its neighbour. Alternatives are
 * searched up to `horizonMs`, beyond the `windowMs` the figure may take: a delay longer than the window
 * throws, and a train too regular to tell its bursts apart leaves nothing unambiguous and throws too.
 * It must never pair a sound with the wrong burst: nearest-before pairing turns a 1.3 s delay into 0.3 s
 * once the delay is longer than the gap between bursts. Pure: times in, delays out, no clock.
 */

export type OnsetPairingErrorCode = 'beyond_window' | 'too_few_pairs';

export class OnsetPairingError extends Error {
  override readonly name = 'OnsetPairingError';
  constructor(
    readonly code: OnsetPairingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface PairingOptions {
  /** the longest delay the pairing may report, ms; a longer one throws `beyond_window` */
  readonly windowMs: number;
  /** how far back alternatives are searched, ms (default three windows): a delay up to here is caught */
  readonly horizonMs?: number;
  /** how much two heard onsets' spacing may differ from their spoken bursts' spacing, ms */
  readonly toleranceMs: number;
  /** share of the heard onsets that must pair unambiguously (default 0.5), else `too_few_pairs` */
  readonly minPairedShare?: number;
}

export interface Pairing {
  /** heard − spoken, ms, one per paired heard onset, in heard order */
  readonly delays: number[];
  /** heard onsets left unpaired: no spoken burst, or more than one, explains them */
  readonly unpaired: number;
}

/** spoken and heard: onset times on one clock (ms), any order */
export function pairOnsets(spokenAt: readonly number[], heardAt: readonly number[], o: PairingOptions): Pairing {
  const spoken = [...spokenAt].sort((a, b) => a - b);
  const heard = [...heardAt].sort((a, b) => a - b);
  const horizon = o.horizonMs ?? o.windowMs * 3;
  const candidates = heard.map((h) => spoken.flatMap((s, i) => (s < h && h - s <= horizon ? [i] : [])));
  // votes[j]: the spoken burst each link through heard onset j names for it
  const votes: number[][] = heard.map(() => []);
  const conflicted = new Set<number>();
  for (let j = 0; j + 1 < heard.length; j++) {
    const heardGap = (heard[j + 1] as number) - (heard[j] as number);
    const fits: [number, number][] = [];
    for (const a of candidates[j] as number[])
      for (const b of candidates[j + 1] as number[])
        if (b > a && Math.abs((spoken[b] as number) - (spoken[a] as number) - heardGap) <= o.toleranceMs) fits.push([a, b]);
    if (fits.length === 1) {
      const [a, b] = fits[0] as [number, number];
      (votes[j] as number[]).push(a);
      (votes[j + 1] as number[]).push(b);
    } else if (fits.length > 1) {
      conflicted.add(j);
      conflicted.add(j + 1);
    }
  }
  const chosen = votes.map((v, j) => (v.length > 0 && !conflicted.has(j) && v.every((x) => x === v[0]) ? (v[0] as number) : null));
  // one spoken burst is heard once: two heard onsets naming the same one are both in doubt
  const claims = new Map<number, number>();
  for (const c of chosen) if (c !== null) claims.set(c, (claims.get(c) ?? 0) + 1);
  const delays: number[] = [];
  chosen.forEach((c, j) => {
    if (c !== null && claims.get(c) === 1) delays.push((heard[j] as number) - (spoken[c] as number));
  });
  const longest = Math.max(...delays);
  if (delays.length > 0 && longest > o.windowMs) {
    throw new OnsetPairingError('beyond_window', `a heard burst pairs with one spoken ${Math.round(longest)} ms earlier, beyond the ${o.windowMs} ms window the figure may take`);
  }
  const need = Math.ceil((o.minPairedShare ?? 0.5) * heard.length);
  if (heard.length === 0 || delays.length < need) {
    throw new OnsetPairingError(
      'too_few_pairs',
      `only ${delays.length} of ${heard.length} heard onsets pair unambiguously with ${spoken.length} spoken ones (need ${need}): the delay exceeds ${horizon} ms, the bursts are too regular to tell apart, or the listener heard something else`,
    );
  }
  return { delays, unpaired: heard.length - delays.length };
}

/**
 * the onsets in a stream of timed chunks: each loud chunk that follows at least `quietMs` without one
 * (chunks arrive in order; a batch's chunks may share a time)
 */
export function onsetsOf(chunks: readonly { readonly at: number; readonly loud: boolean }[], quietMs: number): number[] {
  const out: number[] = [];
  let lastLoud = Number.NEGATIVE_INFINITY;
  for (const c of chunks) {
    if (!c.loud) continue;
    if (c.at - lastLoud >= quietMs) out.push(c.at);
    lastLoud = c.at;
  }
  return out;
}
