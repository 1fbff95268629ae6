/**
 * The stage ear inside the real mixer with real media: LibriVox speech and sox sounds encoded to Opus,
 * pushed through the jitter buffers and decoder, mixed, limited, encoded and decoded again as
 * listeners would. The mixer is stepped by a ManualTicker, so a minute of stage costs about a second.
 * Loudness is measured by ffmpeg's EBU R128 meter (ebur128), not by Amphi's own arithmetic.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolForTests } from './external-tool.test-helper.ts';
import { Mixer, type MixerOptions } from './mixer.ts';
import { FRAME_SAMPLES, OpusFrameDecoder, OpusFrameEncoder } from './opus-codec.ts';
import { scaled, sound, soundsAvailable } from './sound-files.test-helper.ts';
import { ManualTicker } from './ticker.ts';

type Source = (frame: number) => Int16Array | null;

/** a stage of Opus speakers and the decoded program, one call per 20 ms */
function stage(sources: Record<string, Source>, ear: MixerOptions['ear'] = {}) {
  const ticker = new ManualTicker();
  const mixer = new Mixer<string>({ ticker, jitter: { targetDelayFrames: 2 }, ear });
  const decoder = new OpusFrameDecoder();
  const program: Int16Array[] = [];
  mixer.onFrame((f) => program.push(decoder.decode(f.opus).slice()));
  const encoders = new Map(Object.keys(sources).map((id) => [id, new OpusFrameEncoder({ bitrate: 32_000 })]));
  for (const id of Object.keys(sources)) mixer.setProgram(id, true);
  mixer.start();
  let frame = 0;
  return {
    mixer,
    program,
    /** runs `seconds` of stage; `each` sees the frame number after every tick */
    run(seconds: number, each?: (frame: number) => void): void {
      for (const end = frame + seconds * 50; frame < end; frame++) {
        for (const [id, src] of Object.entries(sources)) {
          const pcm = src(frame);
          if (pcm !== null) mixer.push(id, frame & 0xffff, encoders.get(id)!.encode(pcm), true);
        }
        ticker.step();
        each?.(frame);
      }
    },
  };
}

/** 20 ms frames of `pcm` from `fromS` (looping), during [startS, endS) of the stage; null outside */
function part(pcm: Int16Array, startS: number, endS: number, fromS = 0): Source {
  return (f) => {
    const t = f / 50;
    if (t < startS || t >= endS) return null;
    const at = (Math.round((fromS + t - startS) * 48_000) + pcm.length * 10) % pcm.length;
    const out = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = pcm[(at + i) % pcm.length] ?? 0;
    return out;
  };
}

const frames = (program: Int16Array[], fromS: number, toS: number): Int16Array => {
  const slice = program.slice(fromS * 50, toS * 50);
  const out = new Int16Array(slice.length * FRAME_SAMPLES);
  slice.forEach((f, i) => out.set(f, i * FRAME_SAMPLES));
  return out;
};

function ffmpegIntegrated(text: string): number {
  const m = /Integrated loudness:\s*I:\s*(-?[\d.]+) LUFS/.exec(text);
  if (!m) throw new Error('ffmpeg ebur128 printed no integrated loudness');
  return Number(m[1]);
}
/** integrated loudness (LUFS) of 48 kHz mono PCM by ffmpeg's EBU R128 meter */
function lufsOf(pcm: Int16Array): number {
  const dir = mkdtempSync(join(tmpdir(), 'amphi-lufs-'));
  const file = join(dir, 'p.raw');
  writeFileSync(file, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  // ffmpeg prints its summary on stderr
  const r = execFileSync('sh', ['-c', `ffmpeg -hide_banner -nostats -f s16le -ar 48000 -ac 1 -i ${file} -af ebur128 -f null - 2>&1`], { encoding: 'utf8' });
  return ffmpegIntegrated(r);
}

const real = soundsAvailable() && toolForTests('sox', 'the stage ear on LibriVox speech and sox sounds') && toolForTests('ffmpeg', 'program loudness by EBU R128');

describe.skipIf(!real)('the stage ear in the mixer, with Opus speech', () => {
  /** two readers taking turns, b 20 dB quieter: a 0-8 s, b 8-16 s, a 16-24 s, b 24-32 s; returns each one's program loudness in their second turn */
  function turns(leveling: boolean): { a: number; b: number } {
    const speech = sound('speech');
    const a1 = part(speech, 0, 8, 0);
    const a2 = part(speech, 16, 24, 8);
    const b1 = part(scaled(speech, -20), 8, 16, 12);
    const b2 = part(scaled(speech, -20), 24, 32, 4);
    const s = stage({ a: (f) => a1(f) ?? a2(f), b: (f) => b1(f) ?? b2(f) }, { leveling });
    s.run(32);
    return { a: lufsOf(frames(s.program, 16.5, 24)), b: lufsOf(frames(s.program, 24.5, 32)) };
  }

  it('brings a reader 20 dB quieter than another within 3 LU of them in the program; not so with leveling off', () => {
    const on = turns(true);
    const off = turns(false);
    console.log(`[stage-sound] program loudness, leveling on: a ${on.a} b ${on.b} LUFS (spread ${Math.abs(on.a - on.b).toFixed(1)} LU); off: a ${off.a} b ${off.b} (spread ${Math.abs(off.a - off.b).toFixed(1)} LU)`);
    expect(Math.abs(on.a - on.b)).toBeLessThanOrEqual(3);
    expect(Math.abs(off.a - off.b)).toBeGreaterThan(15);
  });

  it.each(['pink', 'music', 'crowd'] as const)('flags a member sending %s while another reads within 3 s, and never the reader in 60 s', (noise) => {
    const speech = sound('speech');
    const talker = part(speech, 0, 70);
    const hot = part(scaled(sound(noise), 0), 5, 70);
    const s = stage({ a: talker, b: hot });
    let flaggedAt: number | null = null;
    let readerFlags = 0;
    s.run(65, (f) => {
      const sounds = s.mixer.sounds();
      if (f % 5 !== 0) return; // the room reads flags every 100 ms
      if (sounds.get('b')?.noisy === true) flaggedAt ??= f / 50;
      if (sounds.get('a')?.noisy === true) readerFlags++;
    });
    console.log(`[stage-sound] ${noise}: flagged ${flaggedAt === null ? 'never' : `${(flaggedAt - 5).toFixed(2)} s`} after it started; reader false positives in 65 s: ${readerFlags}`);
    expect(flaggedAt).not.toBeNull();
    expect(flaggedAt! - 5).toBeLessThanOrEqual(3);
    expect(readerFlags).toBe(0);
  });

  /** a reads; b's mic returns what b hears (a) `delayMs` late and `db` down, and b reads himself 20-26 s */
  function echoStage(delayMs: number, db: number, echoGate: boolean) {
    const speech = sound('speech');
    const a = part(speech, 0, 40);
    const late = part(scaled(speech, db), delayMs / 1000, 40);
    const own = part(speech, 20, 26, 12);
    const b: Source = (f) => {
      const e = late(f);
      const o = own(f);
      if (e === null || o === null) return e ?? o;
      const mix = new Int16Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i++) mix[i] = Math.max(-32768, Math.min(32767, (e[i] ?? 0) + (o[i] ?? 0)));
      return mix;
    };
    const s = stage({ a, b }, { echoGate });
    let flaggedAt: number | null = null;
    s.run(40, (f) => {
      if (f % 5 === 0 && s.mixer.sounds().get('b')?.echo === true) flaggedAt ??= f / 50;
    });
    return { s, flaggedAt, a: speech };
  }

  /** 8 kHz copy (mean of each 6 samples): correlation by sample needs no more than speech's band */
  const decimate = (pcm: Int16Array): Float64Array => {
    const out = new Float64Array(Math.floor(pcm.length / 6));
    for (let i = 0; i < out.length; i++) {
      let v = 0;
      for (let k = 0; k < 6; k++) v += pcm[i * 6 + k] ?? 0;
      out[i] = v / 6;
    }
    return out;
  };

  /**
   * the largest normalised correlation of 10 s of program (from `startS`) with `a` delayed by any lag in
   * [fromMs, toMs], at 8 kHz resolution (Opus adds 6.5 ms of delay per encode, so lags are not whole frames)
   */
  function peakCorr(program: Float64Array, a: Float64Array, startS: number, fromMs: number, toMs: number): { corr: number; lagMs: number } {
    const n = 8000 * 10;
    const p0 = startS * 8000;
    let pp = 0;
    for (let i = 0; i < n; i++) pp += program[p0 + i]! ** 2;
    let best = { corr: 0, lagMs: fromMs };
    for (let lag = Math.round(fromMs * 8); lag <= Math.round(toMs * 8); lag++) {
      let xx = 0;
      let px = 0;
      for (let i = 0; i < n; i++) {
        const x = a[p0 + i - lag] ?? 0;
        xx += x * x;
        px += program[p0 + i]! * x;
      }
      const c = px / Math.sqrt(pp * xx);
      if (Math.abs(c) > Math.abs(best.corr)) best = { corr: c, lagMs: lag / 8 };
    }
    return best;
  }

  it.each([
    [80, -10],
    [150, -15],
    [300, -20],
  ])('flags an echo %i ms late and %i dB down within 5 s and keeps it out of the program', (delayMs, db) => {
    const gated = echoStage(delayMs, db, true);
    const open = echoStage(delayMs, db, false);
    const pg = decimate(frames(gated.s.program, 0, 40));
    const po = decimate(frames(open.s.program, 0, 40));
    const a = decimate(gated.a);
    // 8-18 s: after detection, before b reads himself. a's own voice first: the program's delay behind a
    const direct = peakCorr(po, a, 8, 0, 70);
    const near = (p: Float64Array) => Math.abs(peakCorr(p, a, 8, direct.lagMs + delayMs - 1, direct.lagMs + delayMs + 1).corr);
    const echoOpen = near(po);
    const echoGated = near(pg);
    const baseline = Math.abs(peakCorr(pg, a, 8, direct.lagMs + delayMs + 499, direct.lagMs + delayMs + 501).corr);
    console.log(`[stage-sound] echo ${delayMs} ms ${db} dB: flagged at ${gated.flaggedAt} s; a's voice in the program at ${direct.lagMs} ms (r ${direct.corr.toFixed(2)}); correlation with the late copy: ${echoOpen.toFixed(3)} ungated, ${echoGated.toFixed(3)} gated (an unrelated lag: ${baseline.toFixed(3)})`);
    expect(gated.flaggedAt).not.toBeNull();
    expect(gated.flaggedAt!).toBeLessThanOrEqual(5);
    expect(echoOpen).toBeGreaterThan(2 * baseline);
    expect(echoGated).toBeLessThan(echoOpen / 3);
  });

  it('never flags two independent readers as echo over 60 s', () => {
    const speech = sound('speech');
    const s = stage({ a: part(speech, 0, 60), b: part(speech, 0, 60, 7.77) });
    let flags = 0;
    s.run(60, (f) => {
      const sounds = s.mixer.sounds();
      if (f % 5 === 0 && (sounds.get('a')?.echo === true || sounds.get('b')?.echo === true)) flags++;
    });
    expect(flags).toBe(0);
  });
});

