/**
 * @module voice-leveler — brings one speaker's voice toward a target loudness before the mix, in the
 * spirit of EBU R128 short-term loudness: the loudness is the mean square of the last ~3 s of *speech*
 * blocks (a running mean at first, so a new speaker is leveled after a second or two instead of after a
 * long ramp), the wanted gain is target minus that, bounded to a range, and the applied gain follows it
 * with a time constant of seconds, so words keep their own dynamics (nothing is flattened within a
 * sentence) and the gain does not pump. The gain moves only on blocks the caller marks as speech: it is
 * held between words and over noise, so silence, hiss and a hot mic's hum are never raised. Pure
 * arithmetic on block levels; it must never touch samples (the mixer applies `gain`) and never exceed
 * its bounds.
 */
import { BLOCKS_PER_SECOND } from './block-features.ts';

export interface VoiceLevelerOptions {
  /** the loudness voices are brought to, dBFS of mean square over speech (about -23 LUFS for speech) */
  readonly targetDb: number;
  readonly maxBoostDb: number;
  readonly maxCutDb: number;
  /** the loudness window, seconds of speech (R128 short-term: 3 s) */
  readonly windowSeconds: number;
  /** how fast the applied gain follows the wanted one, seconds of speech */
  readonly gainSeconds: number;
  /** a speech block quieter than the speaker's loudness by more than this (dB) is a pause, not counted */
  readonly relativeGateDb: number;
}

export const DEFAULT_VOICE_LEVELER: VoiceLevelerOptions = {
  targetDb: -24,
  maxBoostDb: 20,
  maxCutDb: 15,
  windowSeconds: 3,
  gainSeconds: 1,
  relativeGateDb: 20,
};

export class VoiceLeveler {
  readonly #o: VoiceLevelerOptions;
  readonly #windowBlocks: number;
  readonly #follow: number;
  #meanSquare = 0;
  #speechBlocks = 0;
  #gainDb = 0;

  constructor(options: Partial<VoiceLevelerOptions> = {}) {
    this.#o = { ...DEFAULT_VOICE_LEVELER, ...options };
    this.#windowBlocks = this.#o.windowSeconds * BLOCKS_PER_SECOND;
    this.#follow = 1 / (this.#o.gainSeconds * BLOCKS_PER_SECOND);
  }

  /** linear gain to apply to this speaker now */
  get gain(): number {
    return 10 ** (this.#gainDb / 20);
  }

  get gainDb(): number {
    return this.#gainDb;
  }

  /** the speaker's short-term speech loudness, dBFS (null before any speech) */
  get loudnessDb(): number | null {
    return this.#speechBlocks === 0 ? null : 10 * Math.log10(this.#meanSquare + 1e-12);
  }

  /** one 10 ms block of the speaker's own (unleveled) audio; `speech` says whether it may move the gain */
  push(meanSquare: number, speech: boolean): void {
    if (!speech || meanSquare <= 0) return;
    const o = this.#o;
    // blocks far below the speaker's own loudness are the gaps inside speech (R128's relative gate)
    if (this.#speechBlocks > 0 && meanSquare < this.#meanSquare * 10 ** (-o.relativeGateDb / 10)) return;
    this.#speechBlocks++;
    const a = Math.max(1 / this.#speechBlocks, 1 / this.#windowBlocks);
    this.#meanSquare += a * (meanSquare - this.#meanSquare);
    const loud = 10 * Math.log10(this.#meanSquare + 1e-12);
    const wanted = Math.min(o.maxBoostDb, Math.max(-o.maxCutDb, o.targetDb - loud));
    // the first second follows faster: a new speaker should not wait several seconds to be heard right
    const f = Math.max(this.#follow, 1 / (this.#speechBlocks + 10));
    this.#gainDb += f * (wanted - this.#gainDb);
  }

  reset(): void {
    this.#meanSquare = 0;
    this.#speechBlocks = 0;
    this.#gainDb = 0;
  }
}
