/**
 * @module stage-ear — what the room's mixer hears of each speaker before mixing them, per 20 ms frame:
 * two 10 ms blocks of features per speaker (block-features), from which it levels each voice
 * (voice-leveler), tells speech from noise (noise-detector) and finds echo against each speaker's
 * mix-minus (echo-detector: the sum of everyone else, which is what the stage forwards to them). It
 * answers, per speaker and frame, the gain to mix them at, 0 when the frame is only an echo of the stage
 * (that part never reaches the program). Everything works on the block features, so 13 speakers cost a
 * few hundred multiply-adds per frame beyond the one pass over samples. It must never decode, mix,
 * encode or know what a room or a mute is: it reports flags; control decides what they mean.
 */
import { BLOCK_SAMPLES, blockFeatures } from './block-features.ts';
import { EchoDetector, type EchoDetectorOptions } from './echo-detector.ts';
import { NoiseDetector, type NoiseDetectorOptions } from './noise-detector.ts';
import { VoiceLeveler, type VoiceLevelerOptions } from './voice-leveler.ts';

export interface StageEarOptions {
  /** bring voices toward one loudness before the mix (default true); detection runs either way */
  readonly leveling: boolean;
  /** keep frames that are only an echo out of the program (default true) */
  readonly echoGate: boolean;
  readonly leveler?: Partial<VoiceLevelerOptions>;
  readonly noise?: Partial<NoiseDetectorOptions>;
  readonly echo?: Partial<EchoDetectorOptions>;
}

/** what the ear concludes about one speaker now */
export interface SpeakerSound {
  /** sending sound that is not speech, for long enough to say so */
  readonly noisy: boolean;
  /** their microphone returns what the stage sends them */
  readonly echo: boolean;
  /** the leveler's gain now, dB */
  readonly gainDb: number;
}

const BLOCKS = 2;
const ABSENT_RESET_FRAMES = 25;

class SpeakerEar {
  readonly noise: NoiseDetector;
  readonly echo: EchoDetector;
  readonly leveler: VoiceLeveler;
  /** [ms0, zcr0, ms1, zcr1] of this frame */
  readonly features = new Float64Array(BLOCKS * 2);
  /** the gain the previous frame ended at: each frame ramps from it, so gain changes never click */
  lastGain = 1;
  gain = 1;
  sounding = false;
  /** frames in a row with no audio from them (muted, or their connection dropped) */
  absentFrames = 0;

  constructor(o: Partial<StageEarOptions>) {
    this.noise = new NoiseDetector(o.noise);
    this.echo = new EchoDetector(o.echo);
    this.leveler = new VoiceLeveler(o.leveler);
  }
}

export class StageEar<Id extends string = string> {
  readonly #o: StageEarOptions;
  readonly #ears = new Map<Id, SpeakerEar>();
  readonly #total = new Float64Array(BLOCKS);

  constructor(options: Partial<StageEarOptions> = {}) {
    this.#o = { leveling: true, echoGate: true, ...options };
  }

  /** starts a frame: call `hear` for every speaker, then `decide` */
  begin(): void {
    this.#total.fill(0);
    for (const ear of this.#ears.values()) {
      ear.features.fill(0);
      ear.sounding = false;
    }
  }

  /** one speaker's decoded frame (960 samples), or null when they sent nothing this frame */
  hear(id: Id, pcm: Int16Array | null): void {
    const ear = this.#ear(id);
    if (pcm === null) return;
    ear.sounding = true;
    for (let b = 0; b < BLOCKS; b++) {
      blockFeatures(pcm, b * BLOCK_SAMPLES, ear.features, b * 2);
      this.#total[b]! += ear.features[b * 2] ?? 0;
    }
  }

  /** runs the detectors on this frame's blocks and sets each speaker's gain for the mix */
  decide(): void {
    const level = this.#o.leveling;
    for (const ear of this.#ears.values()) {
      // No audio at all is not a pause between words: the noise detector judges only what arrives, and
      // forgets after half a second without any (a mute), so an unmuted hot mic is judged from its first
      // frame, not after the window has aged the silence out.
      ear.absentFrames = ear.sounding ? 0 : ear.absentFrames + 1;
      if (ear.absentFrames === ABSENT_RESET_FRAMES) ear.noise.reset();
      let echoOnly = true;
      for (let b = 0; b < BLOCKS; b++) {
        const ms = ear.features[b * 2] ?? 0;
        // what this speaker heard: everyone else (their sum's power; independent voices add in power)
        const heard = Math.max(0, (this.#total[b] ?? 0) - ms);
        const amp = Math.sqrt(ms);
        if (ear.sounding) ear.noise.push(ms);
        ear.echo.push(amp, Math.sqrt(heard));
        const onlyEcho = ear.echo.echoOnly(amp);
        if (!onlyEcho) echoOnly = false;
        // the gain moves on this speaker's own speech only: never on noise, pauses or the stage's echo
        ear.leveler.push(ms, ear.noise.kind === 'speech' && !onlyEcho);
      }
      ear.lastGain = ear.gain;
      const voice = level ? ear.leveler.gain : 1;
      ear.gain = this.#o.echoGate && ear.echo.echo && echoOnly ? 0 : voice;
    }
  }

  /** the gain ramp of this frame for `id`: [from, to] (from the previous frame's end to this frame's) */
  gainOf(id: Id): readonly [number, number] {
    const ear = this.#ears.get(id);
    return ear === undefined ? [1, 1] : [ear.lastGain, ear.gain];
  }

  sound(id: Id): SpeakerSound {
    const ear = this.#ears.get(id);
    if (ear === undefined) return { noisy: false, echo: false, gainDb: 0 };
    return { noisy: ear.noise.noisy, echo: ear.echo.echo, gainDb: this.#o.leveling ? ear.leveler.gainDb : 0 };
  }

  remove(id: Id): void {
    this.#ears.delete(id);
  }

  #ear(id: Id): SpeakerEar {
    let ear = this.#ears.get(id);
    if (ear === undefined) {
      ear = new SpeakerEar(this.#o);
      this.#ears.set(id, ear);
    }
    return ear;
  }
}
