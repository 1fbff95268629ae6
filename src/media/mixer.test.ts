import { describe, it, expect } from 'vitest';
import { Mixer } from './mixer.ts';
import { FRAME_SAMPLES, OpusFrameDecoder, OpusFrameEncoder } from './opus-codec.ts';
import type { ProgramFrame } from './program-frame.ts';
import { ManualTicker } from './ticker.ts';
import { MediaError } from './errors.ts';
import { concatPcm, rms, sineFrames, toneShare } from './tone-analysis.test-helper.ts';

/** A speaker made of a real Opus encoder fed a sine, producing one packet per call. */
function speaker(freq: number, amplitude: number): () => Uint8Array {
  const enc = new OpusFrameEncoder({ bitrate: 48_000 });
  const sine = sineFrames(freq, amplitude);
  return () => enc.encode(sine(FRAME_SAMPLES));
}

function rig(options: { jitter?: { targetDelayFrames: number } } = {}) {
  const ticker = new ManualTicker();
  const errors: unknown[] = [];
  const mixer = new Mixer<string>({ ticker, jitter: options.jitter ?? { targetDelayFrames: 2 }, onError: (e) => errors.push(e), now: () => 1_700_000_000_000 });
  const frames: ProgramFrame[] = [];
  mixer.onFrame((f) => frames.push(f));
  const decoder = new OpusFrameDecoder();
  const decoded: Int16Array[] = [];
  const program = (): Int16Array[] => {
    while (decoded.length < frames.length) decoded.push(decoder.decode(frames[decoded.length]!.opus).slice());
    return decoded;
  };
  mixer.start();
  return { ticker, mixer, frames, program, errors };
}

describe('Mixer', () => {
  it('emits one frame per tick with consecutive seq numbers, and tiny encoded silence with nobody on stage', () => {
    const { ticker, frames, program } = rig();
    ticker.step(50);
    expect(frames).toHaveLength(50);
    expect(frames.map((f) => f.seq)).toEqual([...Array(50).keys()]);
    expect(frames.every((f) => f.captureTs === 1_700_000_000_000)).toBe(true);
    expect(Math.max(...frames.slice(5).map((f) => f.opus.length))).toBeLessThanOrEqual(10);
    expect(rms(concatPcm(program()))).toBe(0);
  });

  it('puts a program-audible speaker into the mix with their tone dominating', () => {
    const { ticker, mixer, program } = rig();
    const s = speaker(440, 0.5);
    mixer.setProgram('a', true);
    for (let i = 0; i < 60; i++) {
      mixer.push('a', i, s(), true);
      ticker.step();
    }
    const pcm = concatPcm(program().slice(10));
    expect(rms(pcm)).toBeGreaterThan(0.2);
    expect(toneShare(pcm, 440, [523, 660, 880])).toBeGreaterThan(0.95);
  });

  it('mixes two speakers so both tones are present', () => {
    const { ticker, mixer, program } = rig();
    const a = speaker(440, 0.3);
    const b = speaker(660, 0.3);
    mixer.setProgram('a', true);
    mixer.setProgram('b', true);
    for (let i = 0; i < 60; i++) {
      mixer.push('a', 1000 + i, a(), true);
      mixer.push('b', 60_000 + i, b(), true);
      ticker.step();
    }
    const pcm = concatPcm(program().slice(10));
    expect(toneShare(pcm, 440, [660, 523, 880])).toBeGreaterThan(0.3);
    expect(toneShare(pcm, 660, [440, 523, 880])).toBeGreaterThan(0.3);
  });

  it('keeps a backstage speaker (program gate closed) out of the program but still measures their level', () => {
    const { ticker, mixer, program } = rig();
    const s = speaker(440, 0.5);
    for (let i = 0; i < 40; i++) {
      mixer.push('a', i, s(), false);
      ticker.step();
    }
    expect(rms(concatPcm(program()))).toBe(0);
    expect(mixer.takeLevels().get('a')).toBeGreaterThan(0.2);
  });

  it('silences the program from the next frame when the program gate closes, even for queued packets', () => {
    const { ticker, mixer, program, frames } = rig({ jitter: { targetDelayFrames: 3 } });
    const s = speaker(440, 0.5);
    mixer.setProgram('a', true);
    for (let i = 0; i < 30; i++) {
      mixer.push('a', i, s(), true);
      ticker.step();
    }
    mixer.push('a', 30, s(), true); // queued before the gate closed
    const at = frames.length;
    mixer.setProgram('a', false);
    for (let i = 31; i < 45; i++) {
      mixer.push('a', i, s(), false);
      ticker.step();
    }
    const after = program().slice(at);
    expect(rms(program()[at - 1]!)).toBeGreaterThan(0.1);
    // The Opus encoder's overlap carries at most one frame of tail; everything after is silent.
    expect(after.slice(1).every((f) => rms(f) < 0.01)).toBe(true);
  });

  it('does not replay packets admitted while the program gate was closed when it reopens', () => {
    const { ticker, mixer, program, frames } = rig({ jitter: { targetDelayFrames: 3 } });
    const s = speaker(440, 0.5);
    for (let i = 0; i < 3; i++) mixer.push('a', i, s(), false); // soundcheck, backstage
    mixer.setProgram('a', true);
    const at = frames.length;
    ticker.step(3);
    expect(program().slice(at).every((f) => rms(f) === 0)).toBe(true);
  });

  it('never clips with 13 full-scale speakers', () => {
    const { ticker, mixer, program } = rig();
    const freqs = [220, 247, 262, 294, 330, 349, 392, 440, 494, 523, 587, 659, 698];
    const speakers = freqs.map((f) => speaker(f, 1));
    freqs.forEach((_, k) => mixer.setProgram(`s${k}`, true));
    for (let i = 0; i < 50; i++) {
      speakers.forEach((s, k) => mixer.push(`s${k}`, i, s(), true));
      ticker.step();
    }
    const pcm = concatPcm(program().slice(5));
    let peak = 0;
    for (const v of pcm) peak = Math.max(peak, Math.abs(v));
    expect(rms(pcm)).toBeGreaterThan(0.3);
    // Decoded Opus overshoots the limiter's -1 dBFS ceiling a little (measured ~0.95), never to full scale.
    expect(peak).toBeLessThan(32767);
  });

  it('aggregates levels between reads and resets them', () => {
    const { ticker, mixer } = rig();
    const loud = speaker(440, 0.5);
    const quiet = speaker(660, 0.05);
    for (let i = 0; i < 25; i++) {
      mixer.push('loud', i, loud(), true);
      mixer.push('quiet', i, quiet(), true);
      ticker.step();
    }
    const levels = mixer.takeLevels();
    expect(levels.get('loud')).toBeGreaterThan(0.2);
    expect(levels.get('quiet')).toBeLessThan(0.06);
    expect(levels.get('quiet')).toBeGreaterThan(0.01);
    const next = mixer.takeLevels();
    expect(next.get('loud')).toBe(0);
  });

  it('conceals a lost packet instead of leaving a hole', () => {
    const { ticker, mixer, program } = rig();
    const s = speaker(440, 0.5);
    mixer.setProgram('a', true);
    for (let i = 0; i < 40; i++) {
      const p = s();
      if (i !== 20) mixer.push('a', i, p, true);
      ticker.step();
    }
    const frames = program().slice(10, 38);
    expect(frames.every((f) => rms(f) > 0.05)).toBe(true);
  });

  it('keeps ticking when its consumer throws, reporting the error', () => {
    const ticker = new ManualTicker();
    const errors: unknown[] = [];
    const mixer = new Mixer({ ticker, onError: (e) => errors.push(e) });
    let calls = 0;
    mixer.onFrame(() => {
      calls++;
      throw new Error('consumer broke');
    });
    mixer.start();
    ticker.step(3);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(3);
  });

  it('has exactly one consumer, and stop() halts the frames', () => {
    const { ticker, mixer, frames } = rig();
    expect(() => mixer.onFrame(() => undefined)).toThrow(MediaError);
    ticker.step(2);
    mixer.stop();
    expect(ticker.running).toBe(false);
    ticker.step(2);
    expect(frames).toHaveLength(2);
  });

  it('reports a corrupt packet and conceals it without stopping the mix', () => {
    const { ticker, mixer, frames, errors } = rig();
    mixer.setProgram('a', true);
    mixer.push('a', 0, Uint8Array.from([0xfb, 0x00]), true);
    mixer.push('a', 1, Uint8Array.from([0xfb, 0x00]), true);
    ticker.step(3);
    expect(frames).toHaveLength(3);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toBeInstanceOf(MediaError);
  });
});
