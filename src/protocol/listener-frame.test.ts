import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  AUDIO_BATCH_HEADER_BYTES,
  FRAME_HEADER_BYTES,
  ListenerFrameError,
  audioBatchSize,
  decodeListenerMessage,
  encodeAudioBatch,
  encodeRoomMessage,
  encodeStreamState,
  type AudioFrame,
  type ListenerFrameErrorCode,
} from './listener-frame.ts';

const frame = (seq: number, bytes: number[], captureTimeMs = 1_700_000_000_000 + seq * 20): AudioFrame => ({
  seq,
  captureTimeMs,
  opus: Uint8Array.from(bytes),
});

const codeOf = (fn: () => unknown): ListenerFrameErrorCode | 'no error' | 'other error' => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof ListenerFrameError ? e.code : 'other error';
  }
};

const arbFrame = fc.record({
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  captureTimeMs: fc.double({ noNaN: true, noDefaultInfinity: true }),
  opus: fc.uint8Array({ maxLength: 400 }),
});

describe('listener frame codec', () => {
  it('lays out an audio batch byte by byte as docs/protocol.md says', () => {
    const bytes = encodeAudioBatch([frame(0x01020304, [0xaa, 0xbb], 1.5)]);
    expect(Array.from(bytes)).toEqual([
      0xa1, 0x01, 0x00, 0x01, // version, type audio, 1 frame
      0x01, 0x02, 0x03, 0x04, // seq, big-endian
      0x3f, 0xf8, 0, 0, 0, 0, 0, 0, // 1.5 as big-endian float64
      0x00, 0x02, // Opus length
      0xaa, 0xbb,
    ]);
    expect(bytes.byteLength).toBe(AUDIO_BATCH_HEADER_BYTES + FRAME_HEADER_BYTES + 2);
  });

  it('round-trips any batch of frames exactly', () => {
    fc.assert(
      fc.property(fc.array(arbFrame, { minLength: 1, maxLength: 20 }), (frames) => {
        const encoded = encodeAudioBatch(frames);
        expect(encoded.byteLength).toBe(audioBatchSize(frames));
        const msg = decodeListenerMessage(encoded);
        expect(msg.type).toBe('audio');
        if (msg.type !== 'audio') return;
        expect(msg.frames.map((f) => [f.seq, Object.is(f.captureTimeMs, -0) ? 0 : f.captureTimeMs, Array.from(f.opus)])).toEqual(
          frames.map((f) => [f.seq, Object.is(f.captureTimeMs, -0) ? 0 : f.captureTimeMs, Array.from(f.opus)]),
        );
      }),
    );
  });

  it('decodes from an ArrayBuffer and from a Uint8Array that is a window into a larger buffer', () => {
    const encoded = encodeAudioBatch([frame(7, [1, 2, 3]), frame(8, [4])]);
    const big = new Uint8Array(encoded.byteLength + 10);
    big.set(encoded, 5);
    const windowed = decodeListenerMessage(big.subarray(5, 5 + encoded.byteLength));
    const fromBuffer = decodeListenerMessage(encoded.slice().buffer);
    for (const msg of [windowed, fromBuffer]) {
      expect(msg.type === 'audio' && msg.frames.map((f) => f.seq)).toEqual([7, 8]);
    }
  });

  it('writes into the buffer the allocator hands out, at its offset', () => {
    const backing = new Uint8Array(100).fill(0xee);
    const frames = [frame(1, [9, 9])];
    const out = encodeAudioBatch(frames, (n) => backing.subarray(10, 10 + n));
    expect(out.buffer).toBe(backing.buffer);
    expect(backing[9]).toBe(0xee);
    const msg = decodeListenerMessage(out);
    expect(msg.type === 'audio' && msg.frames[0]?.seq).toBe(1);
  });

  it('round-trips both stream states in four bytes', () => {
    for (const state of ['waiting', 'live'] as const) {
      const bytes = encodeStreamState(state);
      expect(bytes.byteLength).toBe(4);
      expect(decodeListenerMessage(bytes)).toEqual({ type: 'streamState', state });
    }
  });

  it('rejects every truncation of a valid batch with a typed error', () => {
    const encoded = encodeAudioBatch([frame(1, [1, 2, 3, 4]), frame(2, [5, 6])]);
    for (let len = 0; len < encoded.byteLength; len++) {
      const code = codeOf(() => decodeListenerMessage(encoded.subarray(0, len)));
      expect(['too_short', 'truncated']).toContain(code);
    }
  });

  it('rejects wrong version, unknown type, zero frames, trailing bytes, bad state and NaN capture time', () => {
    const good = encodeAudioBatch([frame(1, [1])]);
    const withByte = (i: number, v: number): Uint8Array => {
      const b = good.slice();
      b[i] = v;
      return b;
    };
    expect(codeOf(() => decodeListenerMessage(withByte(0, 0xa2)))).toBe('bad_version');
    expect(codeOf(() => decodeListenerMessage(withByte(1, 9)))).toBe('unknown_type');
    expect(codeOf(() => decodeListenerMessage(Uint8Array.of(0xa1, 1, 0, 0)))).toBe('bad_frame_count');
    expect(codeOf(() => decodeListenerMessage(Uint8Array.of(...good, 0)))).toBe('trailing_bytes');
    expect(codeOf(() => decodeListenerMessage(Uint8Array.of(0xa1, 2, 7, 0)))).toBe('bad_state');
    expect(codeOf(() => decodeListenerMessage(Uint8Array.of(0xa1, 2, 1)))).toBe('too_short');
    const nan = good.slice();
    new DataView(nan.buffer).setFloat64(8, Number.NaN);
    expect(codeOf(() => decodeListenerMessage(nan))).toBe('bad_value');
  });

  it('a frame claiming more Opus bytes than the message holds is rejected, not read past the end', () => {
    const b = encodeAudioBatch([frame(1, [1, 2])]);
    new DataView(b.buffer).setUint16(16, 0xffff);
    expect(codeOf(() => decodeListenerMessage(b))).toBe('truncated');
  });

  it('never throws anything but a ListenerFrameError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, forceHeader) => {
        if (forceHeader && bytes.length >= 2) {
          bytes[0] = 0xa1;
          bytes[1] = 1 + (bytes[1]! % 2);
        }
        expect(codeOf(() => decodeListenerMessage(bytes))).not.toBe('other error');
      }),
    );
  });

  it('refuses to encode what the format cannot carry', () => {
    expect(codeOf(() => encodeAudioBatch([]))).toBe('too_many_frames');
    expect(codeOf(() => encodeAudioBatch([frame(-1, [])]))).toBe('bad_value');
    expect(codeOf(() => encodeAudioBatch([frame(2 ** 32, [])]))).toBe('bad_value');
    expect(codeOf(() => encodeAudioBatch([frame(1, [], Number.POSITIVE_INFINITY)]))).toBe('bad_value');
    expect(codeOf(() => encodeAudioBatch([{ seq: 1, captureTimeMs: 0, opus: new Uint8Array(0x10000) }]))).toBe('frame_too_large');
  });

  it('carries a room message as UTF-8 JSON after two header bytes, and refuses one that is not UTF-8', () => {
    const json = JSON.stringify({ type: 'tick', listeners: 3, reactions: { '👏': 2 }, speaking: ['u1'] });
    const bytes = encodeRoomMessage(json);
    expect([bytes[0], bytes[1]]).toEqual([0xa1, 3]);
    expect(decodeListenerMessage(bytes)).toEqual({ type: 'room', json });
    expect(decodeListenerMessage(encodeRoomMessage(''))).toEqual({ type: 'room', json: '' });
    expect(codeOf(() => decodeListenerMessage(Uint8Array.from([0xa1, 3, 0xff, 0xfe])))).toBe('bad_value');
    expect(codeOf(() => encodeRoomMessage('x'.repeat(256 * 1024 + 1)))).toBe('frame_too_large');
  });
});
