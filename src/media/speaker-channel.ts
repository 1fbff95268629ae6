/**
 * @module speaker-channel — one speaker's path into the mix: jitter buffer, Opus decoder, a small PCM
 * FIFO (so packets of 10/40/60 ms still give 20 ms frames) and the level accumulator. Each packet
 * carries the program gate's verdict at arrival, and the mixer also checks the current gate, so a
 * packet is mixed only if the gate was open when it came AND is open now. It must never encode,
 * forward RTP or know whose voice it carries.
 */
import { JitterBuffer, type JitterBufferOptions } from './jitter-buffer.ts';
import { FRAME_SAMPLES, OpusFrameDecoder } from './opus-codec.ts';

interface Queued {
  readonly payload: Uint8Array;
  readonly toProgram: boolean;
}

export interface ChannelFrame {
  /** 960 samples, valid until the next call to `nextFrame`. */
  readonly pcm: Int16Array;
  /** May this frame be mixed into the program (both verdicts). */
  readonly toProgram: boolean;
}

export interface ChannelCounters {
  decoded: number;
  concealed: number;
  late: number;
  decodeErrors: number;
}

const MAX_FIFO = 6 * FRAME_SAMPLES + FRAME_SAMPLES;

export class SpeakerChannel {
  readonly #jb: JitterBuffer<Queued>;
  readonly #decoder = new OpusFrameDecoder();
  readonly #fifo = new Int16Array(MAX_FIFO);
  readonly #out = new Int16Array(FRAME_SAMPLES);
  #fill = 0;
  /** Program verdict of everything now in the FIFO (AND of the packets that filled it). */
  #fifoToProgram = true;
  #lastToProgram = false;
  /** Current program gate, set synchronously by the stage. */
  program = false;
  #sumSquares = 0;
  #samples = 0;
  readonly counters: ChannelCounters = { decoded: 0, concealed: 0, late: 0, decodeErrors: 0 };

  readonly #onDecodeError: (err: unknown) => void;

  constructor(jitter: Partial<JitterBufferOptions>, onDecodeError: (err: unknown) => void) {
    this.#jb = new JitterBuffer<Queued>(jitter);
    this.#onDecodeError = onDecodeError;
  }

  push(seq: number, payload: Uint8Array, toProgram: boolean): void {
    const r = this.#jb.push(seq, { payload, toProgram });
    if (r === 'late' || r === 'duplicate') this.counters.late++;
  }

  /** Pulls the next 20 ms of this speaker, or null when it has nothing to play. */
  nextFrame(): ChannelFrame | null {
    while (this.#fill < FRAME_SAMPLES) {
      const r = this.#jb.pop();
      if (r.kind === 'idle') break;
      let pcm: Int16Array;
      if (r.kind === 'packet') {
        try {
          pcm = this.#decoder.decode(r.payload.payload);
          this.counters.decoded++;
        } catch (err) {
          // A corrupt packet from one client must not stop the room's mix: conceal, count, report.
          this.counters.decodeErrors++;
          this.#onDecodeError(err);
          pcm = this.#decoder.conceal();
        }
        this.#lastToProgram = r.payload.toProgram;
      } else {
        pcm = this.#decoder.conceal();
        this.counters.concealed++;
      }
      this.#append(pcm, this.#lastToProgram);
    }
    if (this.#fill === 0) return null;
    const n = Math.min(this.#fill, FRAME_SAMPLES);
    this.#out.set(this.#fifo.subarray(0, n));
    this.#out.fill(0, n);
    this.#fifo.copyWithin(0, n, this.#fill);
    this.#fill -= n;
    const toProgram = this.#fifoToProgram && this.program;
    if (this.#fill === 0) this.#fifoToProgram = true;
    let ss = 0;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const v = (this.#out[i] ?? 0) / 32768;
      ss += v * v;
    }
    this.#sumSquares += ss;
    this.#samples += FRAME_SAMPLES;
    return { pcm: this.#out, toProgram };
  }

  /** RMS (full scale = 1) of everything decoded since the last call; 0 if nothing. */
  takeLevel(): number {
    const level = this.#samples === 0 ? 0 : Math.sqrt(this.#sumSquares / this.#samples);
    this.#sumSquares = 0;
    this.#samples = 0;
    return level;
  }

  #append(pcm: Int16Array, toProgram: boolean): void {
    const room = MAX_FIFO - this.#fill;
    const n = Math.min(room, pcm.length);
    this.#fifo.set(pcm.subarray(0, n), this.#fill);
    this.#fill += n;
    this.#fifoToProgram = this.#fifoToProgram && toProgram;
  }
}
