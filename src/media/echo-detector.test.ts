import { describe, expect, it } from 'vitest';
import { blockFeatures, BLOCK_SAMPLES } from './block-features.ts';
import { EchoDetector } from './echo-detector.ts';
import { toolForTests } from './external-tool.test-helper.ts';
import { sound, soundsAvailable } from './sound-files.test-helper.ts';

/** 10 ms amplitudes (RMS) of `pcm` */
function envelope(pcm: Int16Array): Float64Array {
  const f = new Float64Array(2);
  const out = new Float64Array(Math.floor(pcm.length / BLOCK_SAMPLES));
  for (let b = 0; b < out.length; b++) {
    blockFeatures(pcm, b * BLOCK_SAMPLES, f, 0);
    out[b] = Math.sqrt(f[0] ?? 0);
  }
  return out;
}

/** what a member with an echo sends: the stage `delayMs` late, `db` down, plus a little hiss */
function echoOf(pcm: Int16Array, delayMs: number, db: number): Int16Array {
  const d = Math.round(delayMs * 48);
  const g = 10 ** (db / 20);
  let seed = 5;
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = Math.round((i >= d ? (pcm[i - d] ?? 0) * g : 0) + ((seed / 0x7fffffff) * 2 - 1) * 30);
  }
  return out;
}

const real = soundsAvailable() && toolForTests('sox', 'echo detection on LibriVox speech');

describe.skipIf(!real)('EchoDetector on LibriVox speech', () => {
  it.each([
    [80, -10],
    [125, -12],
    [205, -15],
    [300, -20],
  ])('flags an echo %i ms late and %i dB down within 2 s, at its delay', (delayMs, db) => {
    const stage = sound('speech');
    const ref = envelope(stage);
    const mic = envelope(echoOf(stage, delayMs, db));
    const e = new EchoDetector();
    let firstS: number | null = null;
    let echoOnly = 0;
    for (let b = 0; b < ref.length; b++) {
      e.push(mic[b] ?? 0, ref[b] ?? 0);
      if (e.echo) {
        firstS ??= b / 100;
        if (e.echoOnly(mic[b] ?? 0)) echoOnly++;
      }
    }
    expect(firstS).not.toBeNull();
    expect(firstS!).toBeLessThan(2);
    expect(Math.abs(e.delayMs - delayMs)).toBeLessThanOrEqual(10);
    // while flagged, the member's blocks are recognised as the echo (so the mixer keeps them out)
    expect(echoOnly / (ref.length - firstS! * 100)).toBeGreaterThan(0.95);
  });

  it('never flags two independent readers over 10 minutes, nor a member among a crowd', () => {
    const a = envelope(sound('speech'));
    const crowd = envelope(sound('crowd'));
    for (const other of [a, crowd]) {
      const e = new EchoDetector();
      let flagged = 0;
      for (let b = 0; b < 60_000; b++) {
        // the other reader is 7.77 s further into the text: different words, the same voice and pace
        e.push(other[(b + 777) % other.length] ?? 0, a[b % a.length] ?? 0);
        if (e.echo) flagged++;
      }
      expect(flagged).toBe(0);
    }
  });

  it('lets the member\'s own speech over the echo through (double talk is not echo)', () => {
    const stage = sound('speech');
    const ref = envelope(stage);
    const mic = envelope(echoOf(stage, 150, -15));
    const e = new EchoDetector();
    for (let b = 0; b < 500; b++) e.push(mic[b] ?? 0, ref[b] ?? 0);
    expect(e.echo).toBe(true);
    // a block 10 dB above anything the echo could be
    expect(e.echoOnly(0.3)).toBe(false);
  });
});

describe('EchoDetector', () => {
  it('never flags a member while the stage is silent', () => {
    const e = new EchoDetector();
    for (let b = 0; b < 3000; b++) e.push(Math.abs(Math.sin(b / 7)) * 0.1, 0);
    expect(e.echo).toBe(false);
  });

  it('forgets on reset', () => {
    const e = new EchoDetector();
    // a stage envelope of irregular swells and its copy 150 ms later, 15 dB down
    const ref = (b: number): number => Math.abs(Math.sin(b / 9) * Math.sin(b / 31) * Math.sin(b / 4.3)) * 0.1;
    for (let b = 0; b < 1000; b++) e.push(b >= 15 ? ref(b - 15) * 0.18 : 0, ref(b));
    expect(e.echo).toBe(true);
    e.reset();
    expect(e.echo).toBe(false);
    expect(e.correlation).toBe(0);
  });
});
