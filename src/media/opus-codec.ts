/**
 * @module opus-codec — the only door to @discordjs/opus: program encoder and per-speaker decoders at
 * 48 kHz mono, 20 ms frames (960 samples). Packet loss concealment: @discordjs/opus 0.10 exposes no
 * FEC flag (it calls opus_decode with decode_fec = 0) and decoding an EMPTY buffer conceals 120 ms at
 * once (its output buffer is 6 frames), which would run the decoder ahead of the stream. So
 * `conceal()` decodes a 1-byte packet made of the last good packet's TOC byte (code 0, no frame data):
 * libopus treats a payload of length <= 1 as lost and runs its real PLC for exactly one frame of the
 * last packet's duration, with the decoder's own fade-out over consecutive losses. Before any packet
 * it returns silence. It must never know where packets come from or go to.
 */
import opus from '@discordjs/opus';
import { MediaError } from './errors.ts';

export const SAMPLE_RATE = 48_000;
export const FRAME_SAMPLES = 960;
export const FRAME_MS = 20;

/** libopus request codes (opus_defines.h); the package exposes only the raw numeric CTL call. */
const OPUS_SET_SIGNAL = 4024;
const OPUS_SIGNAL_VOICE = 3001;
const OPUS_SET_COMPLEXITY = 4010;

export interface ProgramEncoderOptions {
  /** bits per second, 6_000..510_000; the program uses 32-48 kbit/s. */
  readonly bitrate?: number;
  /** 0..10; lower is cheaper. Defaults to libopus' own (10 on this build). */
  readonly complexity?: number;
  /** Hint the encoder towards speech. Off by default: it makes silent frames ~35 bytes instead of 3. */
  readonly voiceSignal?: boolean;
}

export class OpusFrameEncoder {
  readonly #enc: opus.OpusEncoder;
  readonly #pcm = Buffer.alloc(FRAME_SAMPLES * 2);

  constructor(options: ProgramEncoderOptions = {}) {
    this.#enc = new opus.OpusEncoder(SAMPLE_RATE, 1);
    this.setBitrate(options.bitrate ?? 32_000);
    try {
      if (options.complexity !== undefined) this.#enc.applyEncoderCTL(OPUS_SET_COMPLEXITY, options.complexity);
      if (options.voiceSignal === true) this.#enc.applyEncoderCTL(OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE);
    } catch (e) {
      throw MediaError.codecFailure('encoder option rejected', e);
    }
  }

  setBitrate(bps: number): void {
    if (!Number.isInteger(bps) || bps < 6_000 || bps > 510_000) throw MediaError.badArgument(`bitrate ${bps} out of range`);
    this.#enc.setBitrate(bps);
  }

  get bitrate(): number {
    return this.#enc.getBitrate();
  }

  /** Encodes one 20 ms mono frame (960 samples). */
  encode(frame: Int16Array): Uint8Array {
    if (frame.length !== FRAME_SAMPLES) throw MediaError.badArgument(`encode expects ${FRAME_SAMPLES} samples, got ${frame.length}`);
    // The binding reads a Buffer; copy into a reused one rather than allocating per frame.
    Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).copy(this.#pcm);
    try {
      return this.#enc.encode(this.#pcm);
    } catch (e) {
      throw MediaError.codecFailure('encode failed', e);
    }
  }
}

export class OpusFrameDecoder {
  readonly #dec: opus.OpusEncoder;
  #lastToc: number | null = null;

  constructor() {
    // The binding's one class holds both an encoder and a decoder, created lazily; only decode is used.
    this.#dec = new opus.OpusEncoder(SAMPLE_RATE, 1);
  }

  /** Decodes one packet (mono or stereo stream, downmixed) to 48 kHz mono samples. */
  decode(packet: Uint8Array): Int16Array {
    if (packet.length === 0) return this.conceal();
    let out: Buffer;
    try {
      out = this.#dec.decode(toBuffer(packet));
    } catch (e) {
      throw MediaError.codecFailure('decode failed', e);
    }
    this.#lastToc = packet[0] ?? null;
    return pcmView(out);
  }

  /** One frame of packet loss concealment (see the module comment), or silence before any packet. */
  conceal(): Int16Array {
    if (this.#lastToc === null) return new Int16Array(FRAME_SAMPLES);
    try {
      return pcmView(this.#dec.decode(Buffer.from([this.#lastToc & 0xfc])));
    } catch (e) {
      throw MediaError.codecFailure('concealment failed', e);
    }
  }
}

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function pcmView(b: Buffer): Int16Array {
  // Buffers from the binding are fresh copies, but may not be 2-byte aligned inside a pool slab.
  if (b.byteOffset % 2 === 0) return new Int16Array(b.buffer, b.byteOffset, b.byteLength >> 1);
  const copy = new Int16Array(b.byteLength >> 1);
  new Uint8Array(copy.buffer).set(b);
  return copy;
}
