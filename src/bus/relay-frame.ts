/**
 * @module relay-frame — a program frame as one NATS message between origin and edges: seq (uint32 BE),
 * capture time (float64 BE, ms since the epoch), then the Opus packet as is. 12 bytes of header on a
 * ~80-byte packet; no JSON on the hot path. Decoding checks the length and never reads past the message.
 */
import type { AudioFrame } from '../protocol/listener-frame.ts';

const HEADER = 12;

export function encodeRelayFrame(frame: AudioFrame): Uint8Array {
  const out = new Uint8Array(HEADER + frame.opus.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, frame.seq >>> 0);
  view.setFloat64(4, frame.captureTimeMs);
  out.set(frame.opus, HEADER);
  return out;
}

/** null when the message is too short to be a frame */
export function decodeRelayFrame(data: Uint8Array): AudioFrame | null {
  if (data.byteLength < HEADER) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { seq: view.getUint32(0), captureTimeMs: view.getFloat64(4), opus: data.subarray(HEADER) };
}
