import { describe, it, expect } from 'vitest';
import type { AudioFrame } from '../protocol/listener-frame.ts';
import { DeliveryError } from './delivery-error.ts';
import { FrameRing } from './ring-buffer.ts';

const f = (seq: number): AudioFrame => ({ seq, captureTimeMs: seq * 20, opus: Uint8Array.of(seq & 0xff) });
const seqs = (frames: readonly AudioFrame[] | null): number[] | null => frames && frames.map((x) => x.seq);

describe('FrameRing', () => {
  it('returns the frames after a seq it still holds, and nothing when the listener is up to date', () => {
    const ring = new FrameRing(5);
    for (let s = 10; s < 14; s++) ring.push(f(s));
    expect(seqs(ring.since(11))).toEqual([12, 13]);
    expect(seqs(ring.since(9))).toEqual([10, 11, 12, 13]);
    expect(seqs(ring.since(13))).toEqual([]);
  });

  it('keeps only the newest N frames once full and says null for seqs it dropped', () => {
    const ring = new FrameRing(4);
    for (let s = 1; s <= 10; s++) ring.push(f(s));
    expect(ring.size).toBe(4);
    expect([ring.oldestSeq, ring.newestSeq]).toEqual([7, 10]);
    expect(seqs(ring.since(6))).toEqual([7, 8, 9, 10]);
    expect(ring.since(5)).toBeNull();
  });

  it('says null for a seq newer than anything it holds and for an empty ring', () => {
    const ring = new FrameRing(4);
    expect(ring.since(0)).toBeNull();
    ring.push(f(3));
    expect(ring.since(4)).toBeNull();
  });

  it('bounds a range at both ends and tolerates gaps in the seqs', () => {
    const ring = new FrameRing(10);
    for (const s of [1, 2, 5, 6, 9]) ring.push(f(s));
    expect(seqs(ring.range(1, 6))).toEqual([2, 5, 6]);
    expect(seqs(ring.range(3, 9))).toEqual([5, 6, 9]);
    expect(seqs(ring.range(6, 6))).toEqual([]);
  });

  it('refuses a frame whose seq does not increase', () => {
    const ring = new FrameRing(3);
    ring.push(f(5));
    expect(() => ring.push(f(5))).toThrow(DeliveryError);
    expect(() => ring.push(f(4))).toThrowError(/does not follow/);
  });

  it('matches a plain array model over many appends and lookups', () => {
    const ring = new FrameRing(7);
    const all: number[] = [];
    for (let s = 0; s < 40; s += 1 + (s % 3 === 0 ? 1 : 0)) {
      ring.push(f(s));
      all.push(s);
      const kept = all.slice(-7);
      for (let q = (kept[0] ?? 0) - 3; q <= s + 2; q++) {
        const covered = q >= (kept[0] ?? 0) - 1 && q <= s;
        expect(seqs(ring.since(q))).toEqual(covered ? kept.filter((x) => x > q) : null);
      }
    }
  });
});
