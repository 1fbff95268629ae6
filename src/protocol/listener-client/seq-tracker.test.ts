import { describe, it, expect } from 'vitest';
import type { AudioFrame } from '../listener-frame.ts';
import { SeqTracker } from './seq-tracker.ts';

const fs = (...seqs: number[]): AudioFrame[] => seqs.map((seq) => ({ seq, captureTimeMs: 0, opus: new Uint8Array(0) }));
const seqs = (frames: readonly AudioFrame[]): number[] => frames.map((f) => f.seq);

describe('SeqTracker', () => {
  it('passes consecutive frames through untouched and remembers the last seq', () => {
    const t = new SeqTracker();
    const batch = fs(5, 6, 7);
    expect(t.accept(batch)).toBe(batch);
    expect(t.lastSeq).toBe(7);
    expect(t.stats).toEqual({ frames: 3, gaps: 0, missedFrames: 0, duplicates: 0 });
  });

  it('counts a jump forward as one gap and the frames it skipped', () => {
    const t = new SeqTracker(10);
    expect(seqs(t.accept(fs(11, 15, 16, 20)))).toEqual([11, 15, 16, 20]);
    expect(t.stats).toMatchObject({ gaps: 2, missedFrames: 6 });
  });

  it('drops and counts frames it already had', () => {
    const t = new SeqTracker(7);
    expect(seqs(t.accept(fs(6, 7, 8, 8, 9)))).toEqual([8, 9]);
    expect(t.stats).toMatchObject({ duplicates: 3, frames: 2, gaps: 0 });
  });

  it('starts afresh after a reset without counting a gap', () => {
    const t = new SeqTracker(7);
    t.reset();
    t.accept(fs(100));
    expect([t.lastSeq, t.stats.gaps]).toEqual([100, 0]);
  });
});
