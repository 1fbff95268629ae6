/**
 * @module bench/mixer-cost — CPU cost of the program mixer per 20 ms frame for 1, 3 and 13 speakers
 * (jitter buffer + Opus decode per speaker, mix, soft limiter, one Opus encode). Speakers are real
 * Opus packets encoded beforehand from a voice-like signal (a few harmonics with vibrato and noise),
 * fed with the real jitter-buffer path; the mixer is stepped by a ManualTicker so only mixer work is
 * timed. Run: `npx tsx bench/mixer-cost.ts [frames]`. Figures, not assertions: never a test.
 */
import { Mixer } from '../src/media/mixer.ts';
import { FRAME_SAMPLES, OpusFrameEncoder } from '../src/media/opus-codec.ts';
import { ManualTicker } from '../src/media/ticker.ts';

const FRAMES = Number(process.argv[2] ?? 1500);
const SPEAKER_COUNTS = [0, 1, 3, 13];

/** A voice-like test signal: pitch 100-250 Hz with harmonics, slow vibrato, a little noise, pauses. */
function encodeSpeaker(k: number, frames: number): Uint8Array[] {
  const enc = new OpusFrameEncoder({ bitrate: 32_000 });
  const f0 = 100 + ((k * 37) % 150);
  let phase = 0;
  let seed = 12345 + k;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  const out: Uint8Array[] = [];
  for (let f = 0; f < frames; f++) {
    const pcm = new Int16Array(FRAME_SAMPLES);
    const talking = Math.floor(f / 100) % 4 !== 3; // 1.5 s pause every 6 s
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const t = (f * FRAME_SAMPLES + i) / 48_000;
      phase += (2 * Math.PI * f0 * (1 + 0.03 * Math.sin(2 * Math.PI * 5 * t))) / 48_000;
      let v = 0;
      for (let h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
      pcm[i] = Math.round((talking ? 0.25 * v : 0) * 32767 * 0.5 + rand() * 300);
    }
    out.push(enc.encode(pcm));
  }
  return out;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const packets = Array.from({ length: 13 }, (_, k) => encodeSpeaker(k, 500));

console.log(`mixer cost per 20 ms program frame (${FRAMES} frames each, Node ${process.version}, 48 kHz mono, program 32 kbit/s)`);
console.log('speakers  cpu ms/frame  % of one core  avg program frame bytes');
for (const n of SPEAKER_COUNTS) {
  const ticker = new ManualTicker();
  const mixer = new Mixer<string>({ ticker, jitter: { targetDelayFrames: 2 } });
  let bytes = 0;
  mixer.onFrame((f) => {
    bytes += f.opus.length;
  });
  mixer.start();
  for (let k = 0; k < n; k++) mixer.setProgram(`s${k}`, true);
  const run = (frames: number, offset: number): void => {
    for (let i = 0; i < frames; i++) {
      const seq = offset + i;
      for (let k = 0; k < n; k++) mixer.push(`s${k}`, seq & 0xffff, packets[k]![seq % 500]!, true);
      ticker.step();
    }
  };
  run(200, 0); // warm-up: JIT, codec state
  bytes = 0;
  const t0 = cpuMs();
  run(FRAMES, 200);
  const ms = (cpuMs() - t0) / FRAMES;
  console.log(`${String(n).padStart(8)}  ${ms.toFixed(3).padStart(12)}  ${((ms / 20) * 100).toFixed(1).padStart(12)}%  ${(bytes / FRAMES).toFixed(0).padStart(10)}`);
  mixer.stop();
}
