import { describe, it, expect } from 'vitest';
import { decodeListenerMessage, type AudioFrame } from '../protocol/listener-frame.ts';
import { Batcher } from './batcher.ts';
import { DeliveryError } from './delivery-error.ts';

const f = (seq: number): AudioFrame => ({ seq, captureTimeMs: 1000 + seq * 20, opus: Uint8Array.of(seq, seq) });
const seqsOf = (batch: Uint8Array | null): number[] => {
  if (batch === null) return [];
  const msg = decodeListenerMessage(batch);
  return msg.type === 'audio' ? msg.frames.map((x) => x.seq) : [];
};

describe('Batcher', () => {
  it('emits one batch of three frames for every third frame at the default 60 ms', () => {
    const b = new Batcher();
    const out = [1, 2, 3, 4, 5, 6, 7].map((s) => b.push(f(s)));
    expect(out.map((x) => x !== null)).toEqual([false, false, true, false, false, true, false]);
    expect(seqsOf(out[2] ?? null)).toEqual([1, 2, 3]);
    expect(seqsOf(out[5] ?? null)).toEqual([4, 5, 6]);
    expect(b.lastEmittedSeq).toBe(6);
    expect(b.pendingFrames).toBe(1);
    expect(b.batchesEncoded).toBe(2);
  });

  it('follows a configured batch length counted in frames', () => {
    const b = new Batcher({ batchMs: 20 });
    expect(b.framesPerBatch).toBe(1);
    expect(seqsOf(b.push(f(9)))).toEqual([9]);
    expect(new Batcher({ batchMs: 120 }).framesPerBatch).toBe(6);
  });

  it('flushes what is pending on demand and nothing when empty', () => {
    const b = new Batcher({ batchMs: 100 });
    b.push(f(1));
    b.push(f(2));
    expect(seqsOf(b.flush())).toEqual([1, 2]);
    expect(b.flush()).toBeNull();
    expect(b.lastEmittedSeq).toBe(2);
  });

  it('encodes into the allocator the caller chose', () => {
    const made: Uint8Array[] = [];
    const b = new Batcher({ batchMs: 20, alloc: (n) => { const u = new Uint8Array(n); made.push(u); return u; } });
    const batch = b.push(f(1));
    expect(made).toHaveLength(1);
    expect(batch).toBe(made[0]);
  });

  it('refuses a batch length that is not a whole number of frames', () => {
    for (const ms of [0, 10, 30, -20, 45.5]) expect(() => new Batcher({ batchMs: ms })).toThrow(DeliveryError);
  });
});
