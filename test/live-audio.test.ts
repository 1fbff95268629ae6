/**
 * Live audio through the real server, with real media: synthetic speakers (@roamhq/wrtc, known tones)
 * publish over WebRTC negotiated on the room WebSocket; Node listeners written from docs/protocol.md
 * decode the program. Proves: a listener hears the speaker (the tone dominates), two speakers are both in
 * the mix, the server-enforced mute silences a client that keeps sending (mute, removal, step-down),
 * a listener cannot publish, backstage is heard by the stage only, resume gives no gap and no duplicate,
 * and live.ogg plays in ffmpeg.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolForTests } from '../src/media/external-tool.test-helper.ts';
import { SyntheticSpeaker } from '../src/media/synthetic-speaker.test-helper.ts';
import { rms, toneShare, tonePower } from '../src/media/tone-analysis.test-helper.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { ProgramListener } from './support/program-listener.ts';
import { isType, RoomSocket } from './support/room-socket-client.ts';
import { toneOverRoomSocket } from './support/tone-speaker.ts';

const TONES = [440, 660, 880, 1000, 300];
const SILENT_RMS = 0.005;

let server: TestServer;
const cleanup: Array<() => void> = [];
beforeAll(async () => {
  server = await startTestServer({ autoTick: true });
});
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) c();
  await server.dispose();
});

let n = 0;
async function person(name: string): Promise<{ api: ApiClient; id: string; handle: string }> {
  const api = new ApiClient(server.url);
  const handle = `${name}${++n}${Math.floor(Math.random() * 1000)}`;
  const id = await api.signUp(handle);
  return { api, id, handle };
}
const act = async (who: ApiClient, roomId: string, action: Record<string, unknown>) => {
  const r = await who.call('POST', `/api/rooms/${roomId}/actions`, action);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

/** joins the room's control socket and publishes a tone over WebRTC negotiated on it */
async function speak(who: ApiClient, roomId: string, freq: number, slots = 0): Promise<{ sock: RoomSocket; speaker: SyntheticSpeaker }> {
  const sock = await RoomSocket.open(server.url, roomId, who.cookie);
  cleanup.push(() => sock.close());
  const speaker = await toneOverRoomSocket(sock, freq, slots, 10_000);
  cleanup.push(() => speaker.close());
  return { sock, speaker };
}

async function liveRoomWithHostTone(freq = 440) {
  const host = await person('host');
  const made = await host.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Audio test' });
  const roomId = made.body.room.id;
  const stage = await speak(host.api, roomId, freq);
  await act(host.api, roomId, { type: 'unmute' });
  await act(host.api, roomId, { type: 'goLive' });
  return { host, roomId, ...stage };
}

async function listen(roomId: string, cookie: string | null = null, resume?: number): Promise<ProgramListener> {
  const l = await ProgramListener.open(server.url, roomId, cookie, resume);
  cleanup.push(() => l.close());
  return l;
}

/** the last `ms` of program the listener heard */
const lastMs = (l: ProgramListener, ms: number) => l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - ms);

describe('live audio', () => {
  it("a listener hears the host: the host's tone dominates the program at a clear level", async () => {
    const { roomId } = await liveRoomWithHostTone(440);
    const l = await listen(roomId);
    await l.until(() => l.frames.length >= 75);
    const pcm = lastMs(l, 1000);
    expect(toneShare(pcm, 440, TONES)).toBeGreaterThan(0.9);
    expect(rms(pcm)).toBeGreaterThan(0.05);
  });

  it('two unmuted speakers are both in the mix', async () => {
    const { host, roomId } = await liveRoomWithHostTone(440);
    const bob = await person('bob');
    await act(host.api, roomId, { type: 'invite', target: bob.id });
    await act(bob.api, roomId, { type: 'acceptInvite' });
    await speak(bob.api, roomId, 660);
    await act(bob.api, roomId, { type: 'unmute' });
    const l = await listen(roomId);
    const t0 = Date.now();
    await l.until(() => l.frames.filter((f) => f.captureTimeMs > t0).length >= 60);
    const pcm = lastMs(l, 1000);
    const p440 = tonePower(pcm, 440);
    const p660 = tonePower(pcm, 660);
    expect(p440).toBeGreaterThan(0.002);
    expect(p660).toBeGreaterThan(0.002);
    expect(Math.min(p440, p660) / Math.max(p440, p660)).toBeGreaterThan(0.3);
  });

  it.each(['muteMember', 'remove', 'stepDown', 'block'] as const)(
    'after %s, a speaker whose client keeps sending is silent in the program within 100 ms',
    async (how) => {
      const { host, roomId } = await liveRoomWithHostTone(440);
      await act(host.api, roomId, { type: 'mute' });
      const bob = await person('bob');
      await act(host.api, roomId, { type: 'invite', target: bob.id });
      await act(bob.api, roomId, { type: 'acceptInvite' });
      await speak(bob.api, roomId, 660);
      await act(bob.api, roomId, { type: 'unmute' });
      const l = await listen(roomId);
      await l.until(() => l.frames.length > 30 && rms(lastMs(l, 200)) > 0.05);
      const before = Date.now();
      if (how === 'stepDown') await act(bob.api, roomId, { type: 'stepDown' });
      else if (how === 'block') expect((await host.api.call('PUT', `/api/users/${bob.handle}/block`)).status).toBe(200);
      else await act(host.api, roomId, how === 'remove' ? { type: 'remove', target: bob.id, reason: 'hot mic' } : { type: 'muteMember', target: bob.id });
      const after = Date.now();
      await l.until(() => (l.frames.at(-1)?.captureTimeMs ?? 0) > after + 500);
      // every frame mixed from 100 ms after the request was answered is silent, though the client still sends
      const late = l.frames.filter((f) => f.captureTimeMs >= after + 100);
      expect(late.length).toBeGreaterThan(15);
      for (const f of late) expect(rms(f.pcm)).toBeLessThan(SILENT_RMS);
      // and the silence started within 100 ms of the request
      const firstSilent = l.frames.find((f) => f.captureTimeMs >= before && rms(f.pcm) < SILENT_RMS);
      expect(firstSilent).toBeDefined();
      expect((firstSilent?.captureTimeMs ?? Infinity) - before).toBeLessThan(100 + (after - before));
    },
  );

  it("a listener's offer to publish is refused with not_on_stage", async () => {
    const { roomId } = await liveRoomWithHostTone();
    const eve = await person('eve');
    const sock = await RoomSocket.open(server.url, roomId, eve.api.cookie);
    cleanup.push(() => sock.close());
    await expect(
      SyntheticSpeaker.connect(async (sdp) => {
        sock.send({ type: 'rtcOffer', ref: 'x', sdp });
        const m = await sock.waitFor((m) => m.type === 'error' || m.type === 'rtcAnswer');
        if (m.type === 'error') throw new Error(m.code);
        return m.type === 'rtcAnswer' ? m.sdp : '';
      }, { freq: 880, amplitude: 0.3 }).then((s) => {
        cleanup.push(() => s.close());
      }),
    ).rejects.toThrow('not_on_stage');
  });

  it('backstage the stage hears each other while a listener gets no audio until the room goes live', async () => {
    const host = await person('host');
    const made = await host.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Soundcheck' });
    const roomId = made.body.room.id;
    await speak(host.api, roomId, 440);
    await act(host.api, roomId, { type: 'unmute' });
    const bob = await person('bob');
    await act(host.api, roomId, { type: 'invite', target: bob.id });
    await act(bob.api, roomId, { type: 'acceptInvite' });
    const bobStage = await speak(bob.api, roomId, 660, 2);
    const slot = await bobStage.sock.waitFor((m) => m.type === 'rtcSlot' && m.userId === host.id, 10_000);
    const mid = slot.type === 'rtcSlot' ? slot.mid : '';
    const l = await listen(roomId);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 1500));
    const heard = bobStage.speaker.received(mid, t0);
    expect(heard.length).toBeGreaterThan(48_000 / 2);
    expect(toneShare(heard, 440, TONES)).toBeGreaterThan(0.8);
    expect(l.frames.length).toBe(0);
    expect(l.states).toEqual(['waiting']);
    await act(host.api, roomId, { type: 'goLive' });
    await l.until(() => l.frames.length >= 25);
    expect(toneShare(lastMs(l, 400), 440, TONES)).toBeGreaterThan(0.8);
  });

  it('a listener that reconnects with its last sequence number misses nothing and gets nothing twice', async () => {
    const { roomId } = await liveRoomWithHostTone();
    const first = await listen(roomId);
    await first.until(() => first.frames.length >= 20);
    first.close();
    const last = first.frames.at(-1)?.seq ?? 0;
    await new Promise((r) => setTimeout(r, 300));
    const second = await listen(roomId, null, last);
    await second.until(() => second.frames.length >= 30);
    const seqs = second.frames.map((f) => f.seq);
    expect(seqs[0]).toBe(last + 1);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] ?? 0) + 1);
  });

  it('the stage shows who is speaking, from the decoded audio', async () => {
    const { host, roomId, sock } = await liveRoomWithHostTone();
    await sock.waitFor((m) => m.type === 'state' && m.speaking.includes(host.id), 5000);
    await act(host.api, roomId, { type: 'mute' });
    const from = sock.messages.length;
    await sock.waitFor((m) => m.type === 'state' && !m.speaking.includes(host.id), 5000, from);
    expect(sock.messages.some(isType('state'))).toBe(true);
  });

  it.skipIf(!toolForTests('ffmpeg', 'live.ogg played by ffmpeg'))('live.ogg plays in ffmpeg: the decoded stream carries the tone', async () => {
    const { roomId } = await liveRoomWithHostTone(440);
    const proc = spawn('ffmpeg', ['-v', 'error', '-i', `${server.url}/rooms/${roomId}/live.ogg`, '-t', '2', '-f', 's16le', '-ar', '48000', '-ac', '1', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    expect(code).toBe(0);
    const buf = Buffer.concat(chunks);
    const pcm = new Int16Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 2));
    expect(pcm.length).toBeGreaterThan(48_000);
    expect(toneShare(pcm.subarray(pcm.length - 48_000), 440, TONES)).toBeGreaterThan(0.9);
  });
});

describe('carrying on', () => {
  it('a speaker whose connection drops comes back with role and mute state kept, and is heard again', async () => {
    const { host, roomId } = await liveRoomWithHostTone(440);
    const bob = await person('bob');
    await act(host.api, roomId, { type: 'invite', target: bob.id });
    await act(bob.api, roomId, { type: 'acceptInvite' });
    const first = await speak(bob.api, roomId, 660);
    await act(bob.api, roomId, { type: 'unmute' });
    await act(host.api, roomId, { type: 'mute' });
    first.speaker.close();
    first.sock.close();
    await first.sock.waitClosed();
    await speak(bob.api, roomId, 660);
    const view = await bob.api.call<{ me: { role: string; muted: boolean } }>('GET', `/api/rooms/${roomId}`);
    expect(view.body.me).toMatchObject({ role: 'speaker', muted: false });
    const l = await listen(roomId);
    await l.until(() => l.frames.length >= 60);
    expect(toneShare(lastMs(l, 800), 660, TONES)).toBeGreaterThan(0.9);
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^amphi_audio_listeners [1-9]/m);
  });

  it('after a restart a live room carries on: its stage publishes again and listeners hear it', async () => {
    const own = await startTestServer({ autoTick: true });
    try {
      const host = new ApiClient(own.url);
      await host.signUp(`restart${Math.floor(Math.random() * 1e6)}`);
      const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Survives restarts' })).body.room.id;
      await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'unmute' });
      await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
      // a listener hears the (silent) program before the restart and remembers where it was
      const before = await ProgramListener.open(own.url, roomId, null);
      await before.until(() => before.frames.length >= 10);
      before.close();
      const lastSeq = before.frames.at(-1)?.seq ?? 0;
      await own.close();
      const again = await startTestServer({ autoTick: true, dataDir: own.dataDir });
      try {
        const hostAgain = new ApiClient(again.url);
        hostAgain.cookie = host.cookie;
        const sock = await RoomSocket.open(again.url, roomId, hostAgain.cookie);
        const speaker = await SyntheticSpeaker.connect(async (sdp) => {
          sock.send({ type: 'rtcOffer', ref: 'r', sdp });
          const m = await sock.waitFor((x) => x.type === 'rtcAnswer' || x.type === 'error', 10_000);
          if (m.type !== 'rtcAnswer') throw new Error(JSON.stringify(m));
          return m.sdp;
        }, { freq: 880, amplitude: 0.3 });
        // it comes back with its last seq, as every client does: the stream carries on above it
        const l = await ProgramListener.open(again.url, roomId, null, lastSeq);
        try {
          await l.until(() => l.frames.length >= 50);
          expect(l.frames[0]?.seq).toBeGreaterThan(lastSeq);
          expect(toneShare(lastMs(l, 600), 880, TONES)).toBeGreaterThan(0.9);
        } finally {
          l.close();
          speaker.close();
          sock.close();
        }
      } finally {
        await again.dispose();
      }
    } finally {
      await own.dispose().catch(() => undefined);
    }
  });
});
