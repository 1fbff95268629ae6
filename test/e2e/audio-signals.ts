/**
 * @module test/e2e/audio-signals — the sounds the browser audio scenario feeds Chromium's fake
 * microphones and the measurements it takes of what a page played. Speech comes from espeak-ng (two
 * voices far apart in pitch), resampled to 48 kHz mono by sox; the host's file adds a train of short
 * noise bursts after silence, whose onsets time mouth-to-ear. Analysis is plain arithmetic on samples:
 * RMS, and the pitch of voiced stretches by normalised autocorrelation (noise bursts are unvoiced and
 * drop out of it).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SR = 48_000;

function run(cmd: string, args: readonly string[]): Buffer {
  const r = spawnSync(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd} could not run (npm test installs espeak-ng and sox): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** espeak-ng speech as 48 kHz mono float samples */
export function speech(text: string, voice: string, pitch: number): Float32Array {
  const wav = run('espeak-ng', ['-v', voice, '-p', String(pitch), '-s', '150', '--stdout', text]);
  const raw = spawnSync('sox', ['-t', 'wav', '-', '-t', 'raw', '-r', String(SR), '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', '-'], { input: wav, maxBuffer: 64 * 1024 * 1024 });
  if (raw.status !== 0) throw new Error(`sox failed: ${raw.stderr.toString()}`);
  const out = new Float32Array(raw.stdout.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = raw.stdout.readInt16LE(i * 2) / 32768;
  return out;
}

const silence = (seconds: number) => new Float32Array(Math.round(seconds * SR));

/** 60 ms of full-band noise at a fixed seed, with a 1 ms rise so the onset is sharp but click-free */
function burst(seed: number): Float32Array {
  const out = new Float32Array(Math.round(0.06 * SR));
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const ramp = Math.min(1, i / 48, (out.length - i) / 48);
    out[i] = ((s / 0xffffffff) * 2 - 1) * 0.7 * ramp;
  }
  return out;
}

/**
 * the gaps between bursts: irregular, no two within 50 ms of each other, so the spacing of two heard
 * bursts names the two spoken ones whatever the delay (test/support/onset-pairing)
 */
export const BURST_GAPS_S = [0.9, 1.1, 0.8, 1.2, 0.95, 1.05, 0.85, 1.15];

export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function writeWav(path: string, samples: Float32Array): void {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round((samples[i] as number) * 32767))), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(SR, 24);
  h.writeUInt32LE(SR * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([h, data]));
}

/** host: a low male voice, then a train of noise bursts; Chromium loops the file */
export function makeHostWav(dir: string): string {
  const parts: Float32Array[] = [speech('Welcome to the night shift. We are building audio rooms that everyone can hear.', 'en', 30), silence(0.6)];
  BURST_GAPS_S.forEach((gap, i) => parts.push(burst(i + 1), silence(gap)));
  const path = join(dir, 'host.wav');
  writeWav(path, concat(parts));
  return path;
}

/** guest: a high female voice, talking without long pauses */
export function makeGuestWav(dir: string): string {
  const path = join(dir, 'guest.wav');
  writeWav(path, concat([speech('Thank you for having me on the stage tonight. I have a question about the mixer and the program stream.', 'en+f3', 80), silence(0.2)]));
  return path;
}

export function rms(x: ArrayLike<number>): number {
  if (x.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s / x.length);
}

/**
 * median pitch (Hz) of the voiced 40 ms windows of `x`, or null without any: a window is voiced when its
 * normalised autocorrelation peaks above 0.6 between 70 and 400 Hz; the shortest lag within 90 % of
 * the best peak wins, which keeps octave errors out
 */
export function medianPitch(x: ArrayLike<number>): number | null {
  const win = Math.round(0.04 * SR);
  const minLag = Math.floor(SR / 400);
  const maxLag = Math.ceil(SR / 70);
  const pitches: number[] = [];
  for (let start = 0; start + win + maxLag < x.length; start += win / 2) {
    let e0 = 0;
    for (let i = 0; i < win; i++) e0 += (x[start + i] as number) ** 2;
    if (Math.sqrt(e0 / win) < 0.01) continue;
    const r: number[] = [];
    for (let lag = minLag; lag <= maxLag; lag++) {
      let c = 0;
      let e1 = 0;
      for (let i = 0; i < win; i++) {
        const b = x[start + i + lag] as number;
        c += (x[start + i] as number) * b;
        e1 += b * b;
      }
      r.push(c / Math.sqrt(e0 * e1 + 1e-12));
    }
    const best = Math.max(...r);
    if (best < 0.6) continue;
    const i = r.findIndex((v) => v >= 0.9 * best);
    pitches.push(SR / (minLag + i));
  }
  if (pitches.length === 0) return null;
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] as number;
}

/** the p-th percentile (0..100) of values, nearest rank */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}
