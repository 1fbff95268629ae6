/**
 * @module bench/stage-delay — how long one stage member's voice takes to reach another through the
 * server's SFU (no mixing, no batching): a real Amphi server in its own process, two synthetic WebRTC
 * speakers (@roamhq/wrtc). A sends 200 ms tone bursts at irregular gaps (bench/burst-train); B's
 * receive slot for A is read by an RTCAudioSink, i.e. after B's own WebRTC jitter buffer, as a browser would play it. Delay = when B's
 * sink delivered the first loud 10 ms chunk − when A's source got the burst (±10 ms).
 *
 *   npx tsx bench/stage-delay.ts [--bursts 30]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { speakBursts, TOLERANCE_MS } from './burst-train.ts';
import { SyntheticSpeaker } from '../src/media/synthetic-speaker.test-helper.ts';
import { rms } from '../src/media/tone-analysis.test-helper.ts';
import { ApiClient } from '../test/support/amphi-server.ts';
import { onsetsOf, pairOnsets } from '../test/support/onset-pairing.ts';
import { RoomSocket } from '../test/support/room-socket-client.ts';

const i = process.argv.indexOf('--bursts');
const BURSTS = i > 0 ? Number(process.argv[i + 1]) : 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'amphi-stage-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, AMPHI_PORT: String(port), AMPHI_DATA_DIR: dataDir, AMPHI_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let k = 0; k < 200 && !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); k++) await sleep(100);

  const host = new ApiClient(url);
  await host.signUp(`stagea${Date.now() % 100000}`);
  const guest = new ApiClient(url);
  const guestId = await guest.signUp(`stageb${Date.now() % 100000}`);
  const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Stage delay' })).body.room.id;
  await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'invite', target: guestId });
  await guest.call('POST', `/api/rooms/${roomId}/actions`, { type: 'acceptInvite' });

  const enter = async (who: ApiClient, amplitude: number, slots: number) => {
    const sock = await RoomSocket.open(url, roomId, who.cookie);
    const speaker = await SyntheticSpeaker.connect(async (sdp) => {
      sock.send({ type: 'rtcOffer', ref: 'o', sdp });
      const m = await sock.waitFor((x) => x.type === 'rtcAnswer', 10_000);
      return m.type === 'rtcAnswer' ? m.sdp : '';
    }, { freq: 440, amplitude, slots });
    return { sock, speaker };
  };
  const a = await enter(host, 0, 1);
  const b = await enter(guest, 0, 1);
  const slot = await b.sock.waitFor((m) => m.type === 'rtcSlot' && m.userId !== null, 10_000);
  const mid = slot.type === 'rtcSlot' ? slot.mid : '';
  await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'unmute' });
  await sleep(1000);

  // irregular gaps, paired by their spacing: a delay longer than a gap fails the run instead of reading short
  const since = performance.now();
  const spoken = await speakBursts(BURSTS, (on) => (a.speaker.amplitude = on ? 0.3 : 0), () => performance.now());
  await sleep(2000);
  const heard = onsetsOf(
    b.speaker.chunks(mid).filter((c) => c.at >= since).map((c) => ({ at: c.at, loud: rms(c.pcm) > 0.05 })),
    300,
  );
  const delays = pairOnsets(spoken, heard, { windowMs: 2000, toleranceMs: TOLERANCE_MS }).delays;
  a.speaker.close();
  b.speaker.close();
  a.sock.close();
  b.sock.close();
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`stage mouth to ear (A's source -> B's played audio, through the SFU): n=${delays.length} p50=${pct(delays, 50).toFixed(0)} ms p99=${pct(delays, 99).toFixed(0)} ms max=${Math.max(...delays).toFixed(0)} ms`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
