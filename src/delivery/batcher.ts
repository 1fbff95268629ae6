/**
 * @module batcher — gathers consecutive program frames and encodes each full batch ONCE into the buffer
 * every listener of the stream will be sent. Frame arrival drives it: no timers of its own, so the
 * publisher's clock is the only clock. It must never encode a batch per listener.
 */
import { FRAME_DURATION_MS, encodeAudioBatch, type AudioFrame } from '../protocol/listener-frame.ts';
import { DeliveryError } from './delivery-error.ts';

export const DEFAULT_BATCH_MS = 60;

export interface BatcherOptions {
  /** batch length in ms, a positive multiple of 20 (the frame duration) */
  readonly batchMs?: number;
  /** where encoded batches are written; the server passes Buffer.allocUnsafe so sockets take them as is */
  readonly alloc?: (size: number) => Uint8Array;
}

export class Batcher {
  #framesPerBatch: number;
  private readonly alloc: ((size: number) => Uint8Array) | undefined;
  /** reused between batches: encode reads it synchronously and keeps no reference */
  private readonly pending: AudioFrame[] = [];
  private lastEmitted: number | null = null;
  private encoded = 0;

  constructor(options: BatcherOptions = {}) {
    const batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
    if (!Number.isInteger(batchMs) || batchMs < FRAME_DURATION_MS || batchMs % FRAME_DURATION_MS !== 0) {
      throw DeliveryError.invalidConfig(`batchMs must be a positive multiple of ${FRAME_DURATION_MS}, got ${batchMs}`);
    }
    this.#framesPerBatch = batchMs / FRAME_DURATION_MS;
    this.alloc = options.alloc;
  }

  get framesPerBatch(): number {
    return this.#framesPerBatch;
  }

  /** changes the batch length from the next batch on (a busy node sends fewer, longer batches) */
  setBatchMs(batchMs: number): void {
    if (!Number.isInteger(batchMs) || batchMs < FRAME_DURATION_MS || batchMs % FRAME_DURATION_MS !== 0) {
      throw DeliveryError.invalidConfig(`batchMs must be a positive multiple of ${FRAME_DURATION_MS}, got ${batchMs}`);
    }
    this.#framesPerBatch = batchMs / FRAME_DURATION_MS;
  }

  /** seq of the newest frame that left in a batch; frames after it are pending or not yet made */
  get lastEmittedSeq(): number | null {
    return this.lastEmitted;
  }

  get pendingFrames(): number {
    return this.pending.length;
  }

  /** how many batches this batcher encoded: one per batch, whatever the number of listeners */
  get batchesEncoded(): number {
    return this.encoded;
  }

  /** Adds a frame; returns the encoded batch when this frame completes one, else null. */
  push(frame: AudioFrame): Uint8Array | null {
    this.pending.push(frame);
    return this.pending.length >= this.#framesPerBatch ? this.flush() : null;
  }

  /** Encodes whatever is pending now (e.g. before the stream closes); null if nothing is. */
  flush(): Uint8Array | null {
    const last = this.pending[this.pending.length - 1];
    if (last === undefined) return null;
    const batch = encodeAudioBatch(this.pending, this.alloc);
    this.pending.length = 0;
    this.lastEmitted = last.seq;
    this.encoded++;
    return batch;
  }
}
