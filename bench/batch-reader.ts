/**
 * @module bench/batch-reader — reads one listener message (docs/protocol.md §2) in place inside a
 * received Buffer, with the same checks as src/protocol/listener-frame.ts decodeListenerMessage
 * (version, type, frame count, every frame inside the message, nothing left over, finite capture time)
 * but without allocating frame objects: the load generator reads hundreds of thousands of messages a
 * second on one core, and garbage there would be measured as server delay. Never reads out of bounds.
 */
import type { Buffer } from 'node:buffer';
import {
  AUDIO_BATCH_HEADER_BYTES,
  FRAME_HEADER_BYTES,
  LISTENER_FORMAT_VERSION,
  MESSAGE_TYPE_AUDIO_BATCH,
  MESSAGE_TYPE_STREAM_STATE,
  STREAM_STATE_BYTES,
} from '../src/protocol/listener-frame.ts';

/** receives each frame of an audio batch, in order, and stream-state notices */
export interface FrameSink {
  frame(seq: number, captureTimeMs: number, opusBytes: number): void;
  streamState(state: number): void;
}

export type ReadOutcome = 'audio' | 'state' | 'malformed';

/** Reads bytes [start, end) of `buf` as one listener message, calling `sink` per frame. */
export function readListenerMessage(buf: Buffer, start: number, end: number, sink: FrameSink): ReadOutcome {
  if (end - start < 2 || buf[start] !== LISTENER_FORMAT_VERSION) return 'malformed';
  const type = buf[start + 1];
  if (type === MESSAGE_TYPE_STREAM_STATE) {
    if (end - start !== STREAM_STATE_BYTES) return 'malformed';
    const state = buf[start + 2] ?? 0;
    if (state !== 1 && state !== 2) return 'malformed';
    sink.streamState(state);
    return 'state';
  }
  if (type !== MESSAGE_TYPE_AUDIO_BATCH || end - start < AUDIO_BATCH_HEADER_BYTES) return 'malformed';
  const count = buf.readUInt16BE(start + 2);
  if (count === 0) return 'malformed';
  // Check the whole layout before reporting any frame, so a malformed message reports nothing.
  let at = start + AUDIO_BATCH_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + FRAME_HEADER_BYTES > end) return 'malformed';
    const next = at + FRAME_HEADER_BYTES + buf.readUInt16BE(at + 12);
    if (next > end || !Number.isFinite(buf.readDoubleBE(at + 4))) return 'malformed';
    at = next;
  }
  if (at !== end) return 'malformed';
  at = start + AUDIO_BATCH_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    const len = buf.readUInt16BE(at + 12);
    sink.frame(buf.readUInt32BE(at), buf.readDoubleBE(at + 4), len);
    at += FRAME_HEADER_BYTES + len;
  }
  return 'audio';
}
