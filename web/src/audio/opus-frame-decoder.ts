/**
 * @module opus-frame-decoder — turns program frames (seq, capture time, Opus packet) into 20 ms of
 * 48 kHz mono PCM with WebCodecs' AudioDecoder, in seq order. A frame without a packet (the server had
 * nothing) becomes silence in its place, after the frames decoded before it. A decoder that fails is
 * replaced on the next frame, so one bad packet costs one frame, not the stream.
 */
import type { AudioFrame } from '../../../src/protocol/listener-frame.ts';

export interface DecodedFrame {
  readonly seq: number;
  readonly captureTimeMs: number;
  readonly samples: Float32Array;
}

const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 960;
const US_PER_FRAME = 20_000;

export function hasWebCodecsOpus(): boolean {
  return typeof AudioDecoder === 'function' && typeof EncodedAudioChunk === 'function';
}

/** true when this browser's AudioDecoder can decode the program's Opus */
export async function canDecodeOpus(): Promise<boolean> {
  if (!hasWebCodecsOpus()) return false;
  try {
    const r = await AudioDecoder.isConfigSupported({ codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1 });
    return r.supported === true;
  } catch (err) {
    console.warn('AudioDecoder.isConfigSupported failed', err);
    return false;
  }
}

interface Pending {
  readonly seq: number;
  readonly captureTimeMs: number;
  readonly empty: boolean;
}

export class OpusFrameDecoder {
  readonly #onFrame: (f: DecodedFrame) => void;
  #decoder: AudioDecoder | null = null;
  /** frames handed over but not yet out, in order */
  #pending: Pending[] = [];
  #closed = false;
  errors = 0;

  constructor(onFrame: (f: DecodedFrame) => void) {
    this.#onFrame = onFrame;
  }

  decode(frames: readonly AudioFrame[]): void {
    if (this.#closed) return;
    for (const f of frames) {
      const empty = f.opus.byteLength === 0;
      this.#pending.push({ seq: f.seq, captureTimeMs: f.captureTimeMs, empty });
      if (empty) continue;
      const d = this.#ensure();
      d.decode(new EncodedAudioChunk({ type: 'key', timestamp: f.seq * US_PER_FRAME, data: f.opus }));
    }
    this.#flushEmpties();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    const d = this.#decoder;
    this.#decoder = null;
    if (d && d.state !== 'closed') d.close();
  }

  #ensure(): AudioDecoder {
    if (this.#decoder && this.#decoder.state === 'configured') return this.#decoder;
    const d: AudioDecoder = new AudioDecoder({
      output: (data) => this.#output(data),
      error: (e) => {
        this.errors++;
        console.warn('Opus decoder failed; starting a new one', e);
        if (this.#decoder === d) this.#decoder = null;
        // what it still held is lost: let the buffer play on without it
        this.#pending = this.#pending.filter((p) => p.empty);
      },
    });
    d.configure({ codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1 });
    this.#decoder = d;
    return d;
  }

  #output(data: AudioData): void {
    try {
      if (this.#closed) return;
      const seq = Math.round(data.timestamp / US_PER_FRAME);
      // empties queued before this frame go out first, so order holds
      while (this.#pending.length > 0 && (this.#pending[0] as Pending).seq !== seq) {
        const p = this.#pending.shift() as Pending;
        if (p.empty) this.#emitSilence(p);
      }
      const p = this.#pending.shift();
      const samples = new Float32Array(data.numberOfFrames);
      data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      this.#onFrame({ seq, captureTimeMs: p?.captureTimeMs ?? 0, samples });
      this.#flushEmpties();
    } finally {
      data.close();
    }
  }

  #flushEmpties(): void {
    while (this.#pending.length > 0 && (this.#pending[0] as Pending).empty) this.#emitSilence(this.#pending.shift() as Pending);
  }

  #emitSilence(p: Pending): void {
    this.#onFrame({ seq: p.seq, captureTimeMs: p.captureTimeMs, samples: new Float32Array(FRAME_SAMPLES) });
  }
}
