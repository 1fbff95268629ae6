/**
 * @module media/sound-files (test helper) — the real sounds the stage-sound tests play: LibriVox speech
 * from Debian's pocketsphinx-testdata (all five clips, 24.7 s, one reader) and sox-made pink noise, a
 * synth music bed with an arpeggio over it, and a five-voice crowd, all as 48 kHz mono 16-bit PCM. Made
 * once per process in a temp folder. Test code only; production code must never import it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';
const CLIPS = ['0870', '0880', '0890', '0920', '0930'].map((n) => join(LIBRIVOX_DIR, `sense_and_sensibility_01_austen_64kb-${n}.wav`));

export type SoundName = 'speech' | 'pink' | 'music' | 'crowd';

let dir: string | null = null;
const cache = new Map<SoundName, Int16Array>();

/** whether the sounds can be made here (sox and pocketsphinx-testdata installed) */
export function soundsAvailable(): boolean {
  return CLIPS.every((c) => existsSync(c));
}

const sox = (...args: string[]): void => void execFileSync('sox', args, { stdio: ['ignore', 'ignore', 'pipe'] });

function make(name: SoundName, out: string): void {
  const fmt = ['-r', '48000', '-b', '16', '-c', '1'];
  const d = dir as string;
  switch (name) {
    case 'speech':
      return sox(...CLIPS, ...fmt, out);
    case 'pink':
      return sox('-n', ...fmt, out, 'synth', '20', 'pinknoise', 'vol', '0.1');
    case 'music': {
      // a sustained chord bed with a plucked arpeggio over it: background music or TV
      sox('-n', ...fmt, join(d, 'pad.wav'), 'synth', '20', 'sawtooth', '220', 'sawtooth', '277', 'sawtooth', '330', 'lowpass', '2000', 'tremolo', '0.5', '30', 'vol', '0.1');
      sox('-n', ...fmt, join(d, 'bar.wav'), 'synth', '0.25', 'pluck', 'C4', ':', 'synth', '0.25', 'pluck', 'E4', ':', 'synth', '0.25', 'pluck', 'G4', ':', 'synth', '0.25', 'pluck', 'C5');
      sox(join(d, 'bar.wav'), join(d, 'arp.wav'), 'repeat', '19', 'vol', '0.3');
      return sox('-m', join(d, 'pad.wav'), join(d, 'arp.wav'), out);
    }
    case 'crowd': {
      // five overlapping readings: a room full of talk with nobody talking to the mic
      const speech = join(d, 'speech.wav');
      if (!existsSync(speech)) make('speech', speech);
      const parts = [3, 5, 11, 17].map((t) => {
        const p = join(d, `crowd-${t}.wav`);
        sox(speech, p, 'trim', String(t));
        return p;
      });
      sox('-m', ...parts, speech, join(d, 'crowd-mix.wav'));
      return sox(join(d, 'crowd-mix.wav'), out, 'trim', '0', '7.5', 'repeat', '2');
    }
  }
}

/** the sound as 48 kHz mono PCM */
export function sound(name: SoundName): Int16Array {
  const known = cache.get(name);
  if (known) return known;
  dir ??= mkdtempSync(join(tmpdir(), 'amphi-sounds-'));
  const file = join(dir, `${name}.wav`);
  if (!existsSync(file)) make(name, file);
  const pcm = wavPcm(readFileSync(file));
  cache.set(name, pcm);
  return pcm;
}

/** the samples of a 16-bit PCM WAV (finds the data chunk; sox writes extra chunks sometimes) */
export function wavPcm(buf: Buffer): Int16Array {
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'data') {
      const bytes = Math.min(size, buf.length - at - 8) & ~1;
      const copy = Buffer.from(buf.subarray(at + 8, at + 8 + bytes));
      return new Int16Array(copy.buffer, copy.byteOffset, bytes / 2);
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('not a PCM WAV: no data chunk');
}

/** `pcm` scaled by `db` (clipped to 16 bits) */
export function scaled(pcm: Int16Array, db: number): Int16Array {
  const g = 10 ** (db / 20);
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round((pcm[i] ?? 0) * g)));
  return out;
}
