/**
 * @module bench/mixer-cost — CPU cost of the program mixer per 20 ms frame for 1, 3 and 13 speakers
 * (jitter buffer + Opus decode per speaker, the stage ear's leveling and noise/echo detection, mix, soft
 * limiter, one Opus encode), then the stage ear alone on decoded PCM. Speakers are real
 * Opus packets encoded beforehand from a voice-like signal (a few harmonics with vibrato and noise),
 * fed with the real jitter-buffer path; the mixer is stepped by a ManualTicker so only mixer work is
 * timed. Run: `npx tsx bench/mixer-cost.ts [frames]`. Figures, not assertions: never a test.
 */
import { Mixer } from '../src/media/mixer.ts';
import { FRAME_SAMPLES, OpusFrameDecoder, OpusFrameEncoder } from '../src/media/opus-codec.ts';
import { StageEar } from '../src/media/stage-ear.ts';
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

// The stage ear alone (block features, leveler, noise and echo detectors for every speaker), on the
// decoded PCM of the same speakers: its share of the figures above.
console.log('stage ear alone (leveling, hot-mic and echo detection), per 20 ms frame');
console.log('speakers  cpu µs/frame');
const ticksEar = FRAMES * 4;
for (const n of [1, 13]) {
  const ear = new StageEar<string>();
  const pcm = Array.from({ length: n }, (_, k) => {
    const dec = new OpusFrameDecoder();
    return packets[k]!.slice(0, 100).map((p) => dec.decode(p).slice());
  });
  const step = (f: number): void => {
    ear.begin();
    for (let k = 0; k < n; k++) ear.hear(`s${k}`, pcm[k]![f % 100]!);
    ear.decide();
  };
  for (let f = 0; f < 500; f++) step(f);
  const t0 = cpuMs();
  for (let f = 0; f < ticksEar; f++) step(f);
  console.log(`${String(n).padStart(8)}  ${(((cpuMs() - t0) / ticksEar) * 1000).toFixed(1).padStart(12)}`);
}
