/**
 * @module bench/batch-reader.test — the generator's in-place reader agrees with the protocol's own
 * decoder (src/protocol/listener-frame.ts) on every message: the same frames for valid ones, a refusal
 * for every message the decoder refuses.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeListenerMessage, encodeAudioBatch, encodeStreamState, type AudioFrame } from '../src/protocol/listener-frame.ts';
import { readListenerMessage, type FrameSink } from './batch-reader.ts';

class Collect implements FrameSink {
  frames: Array<{ seq: number; captureTimeMs: number; opusBytes: number }> = [];
  states: number[] = [];
  frame(seq: number, captureTimeMs: number, opusBytes: number): void {
    this.frames.push({ seq, captureTimeMs, opusBytes });
  }
  streamState(state: number): void {
    this.states.push(state);
  }
}

/** reads `bytes` placed in the middle of a larger buffer, as messages sit inside a TCP read */
function read(bytes: Uint8Array): { outcome: string; sink: Collect } {
  const buf = Buffer.concat([Buffer.from([9, 9, 9]), Buffer.from(bytes), Buffer.from([7, 7])]);
  const sink = new Collect();
  return { outcome: readListenerMessage(buf, 3, 3 + bytes.byteLength, sink), sink };
}

const frameArb = fc.record({
  seq: fc.nat({ max: 0xffffffff }),
  captureTimeMs: fc.double({ noNaN: true, noDefaultInfinity: true }),
  opus: fc.uint8Array({ maxLength: 200 }),
});

describe('readListenerMessage', () => {
  it('reads every frame of an encoded batch with its seq, capture time and length', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 12 }), (frames: AudioFrame[]) => {
        const { outcome, sink } = read(encodeAudioBatch(frames));
        expect(outcome).toBe('audio');
        expect(sink.frames).toEqual(frames.map((f) => ({ seq: f.seq, captureTimeMs: f.captureTimeMs, opusBytes: f.opus.byteLength })));
      }),
    );
  });

  it('reads stream-state notices', () => {
    expect(read(encodeStreamState('waiting')).sink.states).toEqual([1]);
    expect(read(encodeStreamState('live')).sink.states).toEqual([2]);
  });

  it('refuses exactly what the protocol decoder refuses, and reports no frame when it does', () => {
    const valid = encodeAudioBatch([
      { seq: 1, captureTimeMs: 1.5, opus: new Uint8Array([1, 2, 3]) },
      { seq: 2, captureTimeMs: 21.5, opus: new Uint8Array([4]) },
    ]);
    // Mutations of a valid message reach every check; random bytes cover the rest.
    const mutated = fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: -3, max: 3 })).map(([i, v, cut]) => {
      const m = new Uint8Array(valid);
      m[i] = v;
      return cut >= 0 ? m : m.subarray(0, m.length + cut);
    });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 64 })), (bytes) => {
        let decoderOk = true;
        try {
          decodeListenerMessage(bytes);
        } catch {
          decoderOk = false;
        }
        const { outcome, sink } = read(bytes);
        expect(outcome !== 'malformed').toBe(decoderOk);
        if (!decoderOk) expect(sink.frames).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
