/**
 * @module relay-frame — a program frame as one NATS message between origin and edges: seq (uint32 BE),
 * the origin's lease epoch (uint32 BE: edges drop frames of an older origin), capture time (float64 BE,
 * ms since the epoch), then the Opus packet as is. 16 bytes of header on a ~80-byte packet; no JSON on the hot path. Decoding checks the length and never reads past the message.
 */
import type { AudioFrame } from '../protocol/listener-frame.ts';

const HEADER = 16;

export interface RelayedFrame {
  readonly frame: AudioFrame;
  readonly epoch: number;
}

export function encodeRelayFrame(frame: AudioFrame, epoch: number): Uint8Array {
  const out = new Uint8Array(HEADER + frame.opus.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, frame.seq >>> 0);
  view.setUint32(4, epoch >>> 0);
  view.setFloat64(8, frame.captureTimeMs);
  out.set(frame.opus, HEADER);
  return out;
}

/** null when the message is too short to be a frame */
export function decodeRelayFrame(data: Uint8Array): RelayedFrame | null {
  if (data.byteLength < HEADER) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { frame: { seq: view.getUint32(0), captureTimeMs: view.getFloat64(8), opus: data.subarray(HEADER) }, epoch: view.getUint32(4) };
}
