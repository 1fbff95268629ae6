/**
 * @module mixer — one per room, whatever the audience: every 20 ms (driven by an injected `Ticker`)
 * it pulls one frame per speaker from their jitter buffer, decodes, lets the stage ear hear them all
 * (leveling gain, noise and echo flags, the echo gate), sums the program-audible ones at their gains,
 * runs the soft limiter, encodes ONE Opus frame (48 kHz mono) and hands it to its single consumer as
 * a `ProgramFrame`. With nobody speaking it still emits (encoded silence is ~3 bytes) so listeners'
 * clocks keep running. Levels come from the decoded audio of every admitted speaker (program or
 * backstage) and are read in aggregate with `takeLevels()`. It must never know rooms, sockets or
 * listeners, and never throw out of a tick (the ticker would stop): failures go to `onError`.
 */
import { MediaError } from './errors.ts';
import type { JitterBufferOptions } from './jitter-buffer.ts';
import { SoftLimiter, type LimiterOptions } from './limiter.ts';
import { FRAME_MS, FRAME_SAMPLES, OpusFrameEncoder } from './opus-codec.ts';
import type { ProgramFrame } from './program-frame.ts';
import { SpeakerChannel, type ChannelFrame } from './speaker-channel.ts';
import { StageEar, type SpeakerSound, type StageEarOptions } from './stage-ear.ts';
import { DriftFreeTicker, type Ticker } from './ticker.ts';

export interface MixerOptions {
  /** Defaults to a drift-free 20 ms ticker on the system clock. */
  readonly ticker?: Ticker;
  /** Program bitrate, 32-48 kbit/s suits speech; default 32 000. */
  readonly bitrate?: number;
  /** Opus encoder complexity 0..10 (libopus default when omitted). */
  readonly complexity?: number;
  readonly jitter?: Partial<JitterBufferOptions>;
  readonly limiter?: Partial<LimiterOptions>;
  /** leveling, noise and echo detection before the mix (stage-ear); leveling and the echo gate default on */
  readonly ear?: Partial<StageEarOptions>;
  /** Wall clock in ms since the epoch, for `captureTs`. */
  readonly now?: () => number;
  /** Where failures go (a throwing frame consumer, a corrupt speaker packet). Default: process warning. */
  readonly onError?: (err: unknown) => void;
  /**
   * The seq of the first frame. A stream that outlives this mixer (a restarted server) must continue
   * above the seqs listeners already hold, or their resume would discard everything as duplicates.
   */
  readonly firstSeq?: number;
}

export interface MixerStats {
  readonly framesEmitted: number;
  readonly speakers: number;
}

const defaultOnError = (err: unknown): void => {
  process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'AmphiMixerWarning');
};

export class Mixer<Id extends string = string> {
  readonly #ticker: Ticker;
  readonly #encoder: OpusFrameEncoder;
  readonly #limiter: SoftLimiter;
  readonly #jitter: Partial<JitterBufferOptions>;
  readonly #now: () => number;
  readonly #onError: (err: unknown) => void;
  readonly #channels = new Map<Id, SpeakerChannel>();
  readonly #ear: StageEar<Id>;
  /** this tick's frame of each channel (reused: no allocation per tick) */
  readonly #frames = new Map<Id, ChannelFrame | null>();
  readonly #mix = new Float32Array(FRAME_SAMPLES);
  readonly #pcm = new Int16Array(FRAME_SAMPLES);
  #consumer: ((frame: ProgramFrame) => void) | null = null;
  #seq = 0;
  #emitted = 0;
  #running = false;

  constructor(options: MixerOptions = {}) {
    this.#ticker = options.ticker ?? new DriftFreeTicker({ periodMs: FRAME_MS });
    this.#encoder = new OpusFrameEncoder({ bitrate: options.bitrate ?? 32_000, ...(options.complexity === undefined ? {} : { complexity: options.complexity }) });
    this.#limiter = new SoftLimiter(options.limiter);
    this.#ear = new StageEar<Id>(options.ear);
    this.#jitter = options.jitter ?? {};
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? defaultOnError;
    this.#seq = (options.firstSeq ?? 0) >>> 0;
  }

  get running(): boolean {
    return this.#running;
  }

  get stats(): MixerStats {
    return { framesEmitted: this.#emitted, speakers: this.#channels.size };
  }

  /** The one consumer (the delivery hub). Returns a function that detaches it. */
  onFrame(cb: (frame: ProgramFrame) => void): () => void {
    if (this.#consumer) throw MediaError.consumerExists('mixer');
    this.#consumer = cb;
    return () => {
      if (this.#consumer === cb) this.#consumer = null;
    };
  }

  setBitrate(bps: number): void {
    this.#encoder.setBitrate(bps);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#ticker.start(() => this.#tick());
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#ticker.stop();
  }

  /**
   * One Opus packet from a speaker. `toProgram` is the program gate's verdict at arrival; packets
   * whose stage AND program gates are both closed must not reach here at all.
   */
  push(id: Id, seq: number, payload: Uint8Array, toProgram: boolean): void {
    this.#channel(id).push(seq, payload, toProgram);
  }

  /** The program gate now; takes effect from the next mixed frame, including already-queued packets. */
  setProgram(id: Id, open: boolean): void {
    const ch = open ? this.#channel(id) : this.#channels.get(id);
    if (ch) ch.program = open;
  }

  removeSpeaker(id: Id): void {
    this.#channels.delete(id);
    this.#frames.delete(id);
    this.#ear.remove(id);
  }

  /** what the ear concludes about each speaker now (noisy mic, echo, leveling gain) */
  sounds(): Map<Id, SpeakerSound> {
    const out = new Map<Id, SpeakerSound>();
    for (const id of this.#channels.keys()) out.set(id, this.#ear.sound(id));
    return out;
  }

  /** RMS level (full scale = 1) per speaker since the last call. */
  takeLevels(): Map<Id, number> {
    const out = new Map<Id, number>();
    for (const [id, ch] of this.#channels) out.set(id, ch.takeLevel());
    return out;
  }

  #channel(id: Id): SpeakerChannel {
    let ch = this.#channels.get(id);
    if (!ch) {
      ch = new SpeakerChannel(this.#jitter, this.#onError);
      this.#channels.set(id, ch);
    }
    return ch;
  }

  #tick(): void {
    let frame: ProgramFrame;
    try {
      frame = this.#mixOnce();
    } catch (err) {
      this.#onError(err);
      return;
    }
    const consumer = this.#consumer;
    if (!consumer) return;
    try {
      consumer(frame);
    } catch (err) {
      this.#onError(err);
    }
  }

  #mixOnce(): ProgramFrame {
    const mix = this.#mix;
    mix.fill(0);
    const ear = this.#ear;
    ear.begin();
    for (const [id, ch] of this.#channels) {
      const f = ch.nextFrame();
      this.#frames.set(id, f);
      ear.hear(id, f === null ? null : f.pcm);
    }
    ear.decide();
    for (const [id, f] of this.#frames) {
      if (!f || !f.toProgram) continue;
      const [from, to] = ear.gainOf(id);
      if (from === 0 && to === 0) continue;
      // one linear ramp per frame from the last gain to this one: leveling and the echo gate never click
      const pcm = f.pcm;
      const step = (to - from) / FRAME_SAMPLES / 32768;
      let g = from / 32768;
      for (let i = 0; i < FRAME_SAMPLES; i++, g += step) mix[i]! += (pcm[i] ?? 0) * g;
    }
    this.#limiter.process(mix);
    const out = this.#pcm;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      // The limiter keeps |x| below its ceiling (< 1), so this never clips; the clamp guards rounding.
      const v = Math.round((mix[i] ?? 0) * 32767);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    const opus = this.#encoder.encode(out);
    const frame: ProgramFrame = { seq: this.#seq, captureTs: this.#now(), opus };
    this.#seq = (this.#seq + 1) >>> 0;
    this.#emitted++;
    return frame;
  }
}
