/**
 * @module bench/mouth-to-ear — measures, on this machine, how long a speaker's voice takes to reach a
 * listener, and how long a host's mute takes to silence a speaker whose client keeps sending. A real
 * Amphi server runs in its own process; a synthetic WebRTC speaker (@roamhq/wrtc) sends 200 ms tone
 * bursts at irregular gaps (bench/burst-train); a Node listener written from docs/protocol.md decodes
 * the program. Mouth to ear = when the listener received the frame holding a burst's first loud sample − when the speaker's
 * source got that burst (±10 ms: the source is fed in 10 ms frames). It stops before the listener's
 * own playout buffer (a browser adds its jitter buffer, ~100-300 ms, on top).
 *
 *   npx tsx bench/mouth-to-ear.ts [--bursts 40] [--mutes 20]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { speakBursts, TOLERANCE_MS } from './burst-train.ts';
import { SyntheticSpeaker } from '../src/media/synthetic-speaker.test-helper.ts';
import { rms } from '../src/media/tone-analysis.test-helper.ts';
import { ApiClient } from '../test/support/amphi-server.ts';
import { onsetsOf, pairOnsets } from '../test/support/onset-pairing.ts';
import { ProgramListener } from '../test/support/program-listener.ts';
import { RoomSocket } from '../test/support/room-socket-client.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const BURSTS = arg('bursts', 40);
const MUTES = arg('mutes', 20);
const LOUD = 0.05;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphi-m2e-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, AMPHI_PORT: String(port), AMPHI_DATA_DIR: dataDir, AMPHI_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  return { url, stop: () => (child.kill('SIGTERM'), rmSync(dataDir, { recursive: true, force: true })) };
}

async function main(): Promise<void> {
  const server = await startServer();
  const host = new ApiClient(server.url);
  await host.signUp(`bench${Date.now() % 100000}`);
  const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Mouth to ear' })).body.room.id;
  const sock = await RoomSocket.open(server.url, roomId, host.cookie);
  const speaker = await SyntheticSpeaker.connect(async (sdp) => {
    sock.send({ type: 'rtcOffer', ref: 'o', sdp });
    const m = await sock.waitFor((x) => x.type === 'rtcAnswer', 10_000);
    return m.type === 'rtcAnswer' ? m.sdp : '';
  }, { freq: 440, amplitude: 0 });
  await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'unmute' });
  await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
  const listener = await ProgramListener.open(server.url, roomId, null);
  await sleep(1500);

  // mouth to ear: 200 ms bursts at irregular gaps, paired by their spacing (a wrong pair fails the run)
  const firstFrame = listener.frames.length;
  const spoken = await speakBursts(BURSTS, (on) => (speaker.amplitude = on ? 0.3 : 0), () => Date.now());
  await sleep(2000);
  const heard = onsetsOf(
    listener.frames.slice(firstFrame).map((f) => ({ at: f.arrivedMs, loud: rms(f.pcm) > LOUD })),
    300,
  );
  const delays = pairOnsets(spoken, heard, { windowMs: 2000, toleranceMs: TOLERANCE_MS }).delays;

  // mute to silence: the speaker keeps sending; the host mutes them over HTTP
  const muteDelays: number[] = [];
  speaker.amplitude = 0.3;
  for (let m = 0; m < MUTES; m++) {
    await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'unmute' });
    await sleep(600);
    const from = listener.frames.length;
    const asked = Date.now();
    await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'mute' });
    await sleep(600);
    const silent = listener.frames.slice(from).find((f) => f.captureTimeMs >= asked && rms(f.pcm) < 0.005);
    if (silent) muteDelays.push(silent.captureTimeMs - asked);
  }

  speaker.close();
  sock.close();
  listener.close();
  server.stop();
  const line = (name: string, xs: number[]) =>
    `${name}: n=${xs.length} p50=${pct(xs, 50).toFixed(0)} ms p99=${pct(xs, 99).toFixed(0)} ms max=${Math.max(...xs).toFixed(0)} ms`;
  console.log(line('mouth to ear (speaker source -> listener socket)', delays));
  console.log(line('mute to silence (mute request sent -> first silent program frame mixed)', muteDelays));
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
