/**
 * @module listener-frame — the binary messages a listener receives: batches of consecutive Opus program
 * frames, stream-state notices and room messages (the room's state as JSON, so a listening page needs
 * no second socket). Encode and decode, big-endian, versioned, byte layout in
 * docs/protocol.md. Shared by server and browser, so it uses Uint8Array/DataView only and must never
 * import a Node core module; decode must never read out of bounds and never trust a length it was sent.
 */

/** First byte of every listener message: 0xA = Amphi, low nibble = format version 1. */
export const LISTENER_FORMAT_VERSION = 0xa1;
export const MESSAGE_TYPE_AUDIO_BATCH = 1;
export const MESSAGE_TYPE_STREAM_STATE = 2;
/** the room as a listening page sees it (state, ticks, its own place and notices): UTF-8 JSON after the 2-byte header */
export const MESSAGE_TYPE_ROOM = 3;
/** bytes before a room message's JSON */
export const ROOM_MESSAGE_HEADER_BYTES = 2;
/** a room message's JSON never needs more (a stage of 13 with names and pins is a few KB) */
export const MAX_ROOM_MESSAGE_BYTES = 256 * 1024;
/** bytes before the first frame of an audio batch: version, type, u16 frame count */
export const AUDIO_BATCH_HEADER_BYTES = 4;
/** bytes before each frame's Opus payload: u32 seq, f64 capture time, u16 Opus length */
export const FRAME_HEADER_BYTES = 14;
export const STREAM_STATE_BYTES = 4;
export const MAX_FRAMES_PER_BATCH = 0xffff;
export const MAX_OPUS_BYTES = 0xffff;
export const MAX_SEQ = 0xffffffff;
/** duration of one program frame; the stream is 48 kHz mono Opus, 20 ms per frame */
export const FRAME_DURATION_MS = 20;

/** One 20 ms Opus frame of a program stream. */
export interface AudioFrame {
  /** stream sequence number: uint32, +1 per frame, never reset while the stream lives */
  readonly seq: number;
  /** server capture time, milliseconds since the Unix epoch (fractions allowed) */
  readonly captureTimeMs: number;
  /** one Opus packet; after decode it is a view into the received message, not a copy */
  readonly opus: Uint8Array;
}

/** waiting: the stream exists but is not live yet (backstage); live: audio is flowing */
export type StreamState = 'waiting' | 'live';
const STREAM_STATE_CODES: Readonly<Record<StreamState, number>> = { waiting: 1, live: 2 };

export type ListenerMessage =
  | { readonly type: 'audio'; readonly frames: readonly AudioFrame[] }
  | { readonly type: 'streamState'; readonly state: StreamState }
  /** one room message (docs/protocol.md §2, type 3): JSON text, parsed by whoever reads the room */
  | { readonly type: 'room'; readonly json: string };

export type ListenerFrameErrorCode =
  | 'too_short'
  | 'bad_version'
  | 'unknown_type'
  | 'bad_frame_count'
  | 'truncated'
  | 'trailing_bytes'
  | 'bad_value'
  | 'bad_state'
  | 'frame_too_large'
  | 'too_many_frames';

/** Why a listener message could not be encoded or decoded. */
export class ListenerFrameError extends Error {
  override readonly name = 'ListenerFrameError';
  constructor(
    readonly code: ListenerFrameErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Exact size in bytes of the audio batch `encodeAudioBatch(frames)` produces. */
export const audioBatchSize = (frames: readonly AudioFrame[]): number => {
  let size = AUDIO_BATCH_HEADER_BYTES;
  for (const f of frames) size += FRAME_HEADER_BYTES + f.opus.byteLength;
  return size;
};

const defaultAlloc = (size: number): Uint8Array => new Uint8Array(size);

const checkFrame = (f: AudioFrame): void => {
  if (!Number.isInteger(f.seq) || f.seq < 0 || f.seq > MAX_SEQ) {
    throw new ListenerFrameError('bad_value', `seq ${f.seq} is not a uint32`);
  }
  if (!Number.isFinite(f.captureTimeMs)) {
    throw new ListenerFrameError('bad_value', `captureTimeMs of seq ${f.seq} is not finite`);
  }
  if (f.opus.byteLength > MAX_OPUS_BYTES) {
    throw new ListenerFrameError('frame_too_large', `Opus payload of seq ${f.seq} is ${f.opus.byteLength} bytes`);
  }
};

/**
 * Encodes frames into one audio batch message. `alloc` lets the server hand out a Node Buffer, so the
 * result can be written to many sockets without a wrapper per write; it must return exactly `size`
 * bytes (contents may be garbage: every byte is overwritten).
 */
export const encodeAudioBatch = (
  frames: readonly AudioFrame[],
  alloc: (size: number) => Uint8Array = defaultAlloc,
): Uint8Array => {
  if (frames.length === 0 || frames.length > MAX_FRAMES_PER_BATCH) {
    throw new ListenerFrameError('too_many_frames', `a batch holds 1..${MAX_FRAMES_PER_BATCH} frames, got ${frames.length}`);
  }
  for (const f of frames) checkFrame(f);
  const out = alloc(audioBatchSize(frames));
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint8(0, LISTENER_FORMAT_VERSION);
  view.setUint8(1, MESSAGE_TYPE_AUDIO_BATCH);
  view.setUint16(2, frames.length);
  let at = AUDIO_BATCH_HEADER_BYTES;
  for (const f of frames) {
    view.setUint32(at, f.seq);
    view.setFloat64(at + 4, f.captureTimeMs);
    view.setUint16(at + 12, f.opus.byteLength);
    out.set(f.opus, at + FRAME_HEADER_BYTES);
    at += FRAME_HEADER_BYTES + f.opus.byteLength;
  }
  return out;
};

export const encodeStreamState = (state: StreamState): Uint8Array => {
  const out = new Uint8Array(STREAM_STATE_BYTES);
  out[0] = LISTENER_FORMAT_VERSION;
  out[1] = MESSAGE_TYPE_STREAM_STATE;
  out[2] = STREAM_STATE_CODES[state];
  out[3] = 0;
  return out;
};

const utf8Out = new TextEncoder();
const utf8In = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes one room message: the header, then `json` as UTF-8. The server encodes each once and writes
 * the same bytes to every listener of the room (`alloc` as for audio batches).
 */
export const encodeRoomMessage = (json: string, alloc: (size: number) => Uint8Array = defaultAlloc): Uint8Array => {
  const body = utf8Out.encode(json);
  if (body.byteLength > MAX_ROOM_MESSAGE_BYTES) throw new ListenerFrameError('frame_too_large', `room message of ${body.byteLength} bytes`);
  const out = alloc(ROOM_MESSAGE_HEADER_BYTES + body.byteLength);
  out[0] = LISTENER_FORMAT_VERSION;
  out[1] = MESSAGE_TYPE_ROOM;
  out.set(body, ROOM_MESSAGE_HEADER_BYTES);
  return out;
};

const decodeRoomMessage = (bytes: Uint8Array): ListenerMessage => {
  if (bytes.byteLength - ROOM_MESSAGE_HEADER_BYTES > MAX_ROOM_MESSAGE_BYTES) throw new ListenerFrameError('frame_too_large', `room message of ${bytes.byteLength} bytes`);
  try {
    return { type: 'room', json: utf8In.decode(bytes.subarray(ROOM_MESSAGE_HEADER_BYTES)) };
  } catch {
    throw new ListenerFrameError('bad_value', 'room message is not UTF-8');
  }
};

const decodeAudioBatch = (bytes: Uint8Array, view: DataView): ListenerMessage => {
  if (bytes.byteLength < AUDIO_BATCH_HEADER_BYTES) {
    throw new ListenerFrameError('too_short', `audio batch header needs ${AUDIO_BATCH_HEADER_BYTES} bytes`);
  }
  const count = view.getUint16(2);
  if (count === 0) throw new ListenerFrameError('bad_frame_count', 'audio batch with zero frames');
  const frames: AudioFrame[] = new Array<AudioFrame>(count);
  let at = AUDIO_BATCH_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + FRAME_HEADER_BYTES > bytes.byteLength) {
      throw new ListenerFrameError('truncated', `frame ${i} header runs past the end of the message`);
    }
    const seq = view.getUint32(at);
    const captureTimeMs = view.getFloat64(at + 4);
    const len = view.getUint16(at + 12);
    const start = at + FRAME_HEADER_BYTES;
    if (start + len > bytes.byteLength) {
      throw new ListenerFrameError('truncated', `frame ${i} claims ${len} Opus bytes, message has ${bytes.byteLength - start}`);
    }
    if (!Number.isFinite(captureTimeMs)) {
      throw new ListenerFrameError('bad_value', `frame ${i} has a non-finite capture time`);
    }
    frames[i] = { seq, captureTimeMs, opus: bytes.subarray(start, start + len) };
    at = start + len;
  }
  if (at !== bytes.byteLength) {
    throw new ListenerFrameError('trailing_bytes', `${bytes.byteLength - at} bytes after the last frame`);
  }
  return { type: 'audio', frames };
};

const decodeStreamState = (bytes: Uint8Array): ListenerMessage => {
  if (bytes.byteLength !== STREAM_STATE_BYTES) {
    throw new ListenerFrameError('too_short', `stream state message must be ${STREAM_STATE_BYTES} bytes`);
  }
  switch (bytes[2]) {
    case STREAM_STATE_CODES.waiting:
      return { type: 'streamState', state: 'waiting' };
    case STREAM_STATE_CODES.live:
      return { type: 'streamState', state: 'live' };
    default:
      throw new ListenerFrameError('bad_state', `unknown stream state ${bytes[2]}`);
  }
};

/**
 * Decodes one binary listener message. Throws ListenerFrameError on anything malformed; the returned
 * Opus payloads are views into `input`, so keep `input` alive as long as the frames.
 */
export const decodeListenerMessage = (input: Uint8Array | ArrayBuffer): ListenerMessage => {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength < 2) throw new ListenerFrameError('too_short', 'message shorter than 2 bytes');
  if (bytes[0] !== LISTENER_FORMAT_VERSION) {
    throw new ListenerFrameError('bad_version', `unknown format byte 0x${(bytes[0] ?? 0).toString(16)}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (bytes[1]) {
    case MESSAGE_TYPE_AUDIO_BATCH:
      return decodeAudioBatch(bytes, view);
    case MESSAGE_TYPE_STREAM_STATE:
      return decodeStreamState(bytes);
    case MESSAGE_TYPE_ROOM:
      return decodeRoomMessage(bytes);
    default:
      throw new ListenerFrameError('unknown_type', `unknown message type ${bytes[1]}`);
  }
};
