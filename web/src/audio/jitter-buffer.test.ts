import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.ts';

const SR = 48_000;
const FRAME = 960; // 20 ms
const QUANTUM = 128;

/** a 20 ms frame whose every sample is `seq`, so the output tells which frame played */
const frame = (seq: number) => new Float32Array(FRAME).fill(seq);
const pushFrames = (b: JitterBuffer, from: number, count: number) => {
  for (let s = from; s < from + count; s++) b.push(s, s * 20, frame(s));
};
/** plays `ms` of audio and returns the samples */
const play = (b: JitterBuffer, ms: number): Float32Array => {
  const n = Math.round((ms * SR) / 1000 / QUANTUM);
  const all = new Float32Array(n * QUANTUM);
  const out = new Float32Array(QUANTUM);
  for (let i = 0; i < n; i++) {
    b.pull(out);
    all.set(out, i * QUANTUM);
  }
  return all;
};

describe('JitterBuffer', () => {
  it('stays silent until the target delay is buffered, then plays frames in seq order', () => {
    const b = new JitterBuffer({ sampleRate: SR, startTargetMs: 100 });
    pushFrames(b, 10, 4); // 80 ms: not enough
    expect(play(b, 20).every((x) => x === 0)).toBe(true);
    expect(b.stats.state).toBe('filling');
    b.push(15, 300, frame(15));
    b.push(14, 280, frame(14)); // out of order
    const out = play(b, 100);
    const order = [...new Set(out)];
    expect(order).toEqual([10, 11, 12, 13, 14, 15]);
    expect(b.stats.state).toBe('playing');
  });

  it('counts an underrun, fills with silence, and raises its target', () => {
    const b = new JitterBuffer({ sampleRate: SR, startTargetMs: 100, growMs: 40 });
    pushFrames(b, 0, 5);
    play(b, 140);
    expect(b.stats.underruns).toBe(1);
    expect(b.stats.targetMs).toBeCloseTo(140, 0);
    expect(b.stats.state).toBe('filling');
    pushFrames(b, 5, 6); // 120 ms < 140: still filling
    expect(play(b, 10).every((x) => x === 0)).toBe(true);
    pushFrames(b, 11, 2);
    expect(play(b, 10).some((x) => x === 5)).toBe(true);
  });

  it('never grows its target past the maximum, and shrinks it slowly while playback is smooth', () => {
    const b = new JitterBuffer({ sampleRate: SR, startTargetMs: 100, maxTargetMs: 300, growMs: 100, shrinkMs: 10, shrinkAfterMs: 1000 });
    let seq = 1000;
    // underrun repeatedly: each time the buffer runs dry
    for (let i = 0; i < 5; i++) {
      pushFrames(b, seq, 16);
      seq += 16;
      play(b, 400);
    }
    expect(b.stats.targetMs).toBeLessThanOrEqual(300);
    expect(b.stats.targetMs).toBeGreaterThanOrEqual(290);
    // smooth: 60 ms batches arrive as fast as they play, for 6 s
    pushFrames(b, seq, 20);
    seq += 20;
    for (let t = 0; t < 100; t++) {
      pushFrames(b, seq, 3);
      seq += 3;
      play(b, 60);
    }
    expect(b.stats.underruns).toBe(5);
    expect(b.stats.targetMs).toBeLessThan(290);
    expect(b.stats.targetMs).toBeGreaterThanOrEqual(100);
  });

  it('skips to live when it holds far more than its target, dropping the oldest audio', () => {
    const b = new JitterBuffer({ sampleRate: SR, startTargetMs: 100, driftBoundMs: 200 });
    pushFrames(b, 0, 15); // 300 ms: within target + bound
    expect(b.stats.skips).toBe(0);
    pushFrames(b, 15, 1); // 320 ms > 100 + 200
    expect(b.stats.skips).toBe(1);
    expect(b.stats.bufferedMs).toBeCloseTo(100, 0);
    expect(b.stats.droppedMs).toBeCloseTo(220, 0);
    const out = play(b, 20);
    expect(out[0]).toBe(11); // frames 0..10 dropped
  });

  it('jumps to live on request and drops frames that arrive after their turn', () => {
    const b = new JitterBuffer({ sampleRate: SR, startTargetMs: 100, driftBoundMs: 1000 });
    pushFrames(b, 0, 30);
    expect(b.stats.skips).toBe(0);
    b.jumpToLive();
    expect(b.stats.bufferedMs).toBeCloseTo(100, 0);
    expect(b.stats.headCaptureMs).toBe(25 * 20);
    b.push(3, 60, frame(3));
    expect(b.stats.lateFrames).toBe(1);
    expect(play(b, 20)[0]).toBe(25);
  });

  it('forgets everything on reset, so a stream that restarts at a lower seq plays', () => {
    const b = new JitterBuffer({ sampleRate: SR, startTargetMs: 100 });
    pushFrames(b, 100, 10);
    play(b, 100);
    b.reset();
    expect(b.stats.state).toBe('idle');
    pushFrames(b, 1, 6);
    expect(play(b, 40)[0]).toBe(1);
    expect(play(b, 40)[0]).toBe(3);
  });

  describe('told how long the server\'s batches are', () => {
    /** a node at its peak level: 8-frame batches every 160 ms, each up to 40 ms late; the first is the join's prime */
    const peakRoom = (tell: boolean, batches: number) => {
      const b = new JitterBuffer({ sampleRate: SR });
      const late = [0, 35, 5, 40, 10, 0, 30, 20, 40, 0];
      const quantumMs = (QUANTUM * 1000) / SR;
      let t = 0;
      let seq = 0;
      for (let k = 0; k < batches; k++) {
        const due = k * 160 + (late[k % late.length] as number);
        while (t < due) {
          play(b, quantumMs);
          t += quantumMs;
        }
        if (tell) b.noteBatch(160);
        pushFrames(b, seq, 8);
        seq += 8;
      }
      return b;
    };

    it('holds a batch plus the margin, so late 160 ms batches never run it dry', () => {
      const told = peakRoom(true, 100);
      expect(told.stats.targetMs).toBeCloseTo(220, 0);
      expect(told.stats.underruns).toBe(0);
      expect(told.stats.skips).toBe(0);
      // the same stream to a buffer that only learns from underruns: it stutters before it adapts
      expect(peakRoom(false, 100).stats.underruns).toBeGreaterThan(0);
    });

    it('shrinks back slowly, never below the shorter batch plus the margin, and ignores a catch-up', () => {
      const b = new JitterBuffer({ sampleRate: SR, shrinkMs: 10, shrinkAfterMs: 100 });
      b.noteBatch(160);
      expect(b.stats.targetMs).toBeCloseTo(220, 0);
      b.noteBatch(5_000); // a reconnect's catch-up of 5 s
      expect(b.stats.targetMs).toBeCloseTo(220, 0);
      b.noteBatch(60);
      expect(b.stats.targetMs).toBeCloseTo(220, 0); // no sudden drop: that would skip audio
      let seq = 0;
      pushFrames(b, seq, 12);
      seq += 12;
      for (let i = 0; i < 100; i++) {
        for (let half = 0; half < 2; half++) {
          b.noteBatch(60);
          pushFrames(b, seq, 3);
          seq += 3;
        }
        play(b, 120); // a whole number of render quanta
      }
      expect(b.stats.targetMs).toBeCloseTo(120, 0);
      expect(b.stats.underruns).toBe(0);
    });
  });
});
