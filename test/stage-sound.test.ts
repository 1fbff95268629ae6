/**
 * The stage ear through the real server, with real media: stage members publish LibriVox speech and
 * sox pink noise over WebRTC negotiated on their room sockets (synthetic @roamhq/wrtc speakers), and
 * the host's room socket is read as the web client reads it. Proves: a hot mic opened while the host
 * reads is flagged to the room within 3 s ("noisy" in the per-tick state), the reading host never is;
 * the host's one-tap mute (muteMember) ends it; with the room's sound guard on, the server mutes a hot
 * mic by itself after 10 s and tells the person and the hosts; talk-over facts name who holds the floor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../src/protocol/api-views.ts';
import { toolForTests } from '../src/media/external-tool.test-helper.ts';
import { scaled, sound, soundsAvailable } from '../src/media/sound-files.test-helper.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { RoomSocket } from './support/room-socket-client.ts';
import { toneOverRoomSocket } from './support/tone-speaker.ts';

const real = soundsAvailable() && toolForTests('sox', 'hot-mic flags through the server with LibriVox speech and sox noise');

let server: TestServer;
const cleanup: Array<() => void> = [];
beforeAll(async () => {
  if (real) server = await startTestServer({ autoTick: true });
});
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) c();
  await server?.dispose();
});

let n = 0;
async function person(name: string): Promise<{ api: ApiClient; id: string }> {
  const api = new ApiClient(server.url);
  const id = await api.signUp(`${name}${++n}${Math.floor(Math.random() * 1e6)}`);
  return { api, id };
}
const act = async (who: ApiClient, roomId: string, action: Record<string, unknown>) => {
  const r = await who.call('POST', `/api/rooms/${roomId}/actions`, action);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

/** 10 ms frames of `pcm`, looping, from the moment of the first call */
function looping(pcm: Int16Array): () => Int16Array {
  let at = 0;
  return () => {
    const out = new Int16Array(480);
    for (let i = 0; i < 480; i++) out[i] = pcm[(at + i) % pcm.length] ?? 0;
    at = (at + 480) % pcm.length;
    return out;
  };
}

async function publish(who: ApiClient, roomId: string, source: () => Int16Array): Promise<RoomSocket> {
  const sock = await RoomSocket.open(server.url, roomId, who.cookie);
  cleanup.push(() => sock.close());
  const speaker = await toneOverRoomSocket(sock, 440, 2, 15_000, source);
  cleanup.push(() => speaker.close());
  return sock;
}

type State = Extract<ServerMessage, { type: 'state' }>;
const isState = (m: ServerMessage): m is State => m.type === 'state';

/** a live room: the host reads LibriVox, unmuted; bob is on stage sending pink noise, muted */
async function roomWithHotMic() {
  const host = await person('host');
  const roomId = (await host.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Stage sound' })).body.room.id;
  const hostSock = await publish(host.api, roomId, looping(sound('speech')));
  await act(host.api, roomId, { type: 'unmute' });
  await act(host.api, roomId, { type: 'goLive' });
  const bob = await person('bob');
  await act(host.api, roomId, { type: 'invite', target: bob.id });
  await act(bob.api, roomId, { type: 'acceptInvite' });
  const bobSock = await publish(bob.api, roomId, looping(scaled(sound('pink'), -6)));
  return { host, roomId, hostSock, bob, bobSock };
}

describe.skipIf(!real)('stage sound through the server', () => {
  it('flags a hot mic to the room within 3 s of unmuting, never the reading host, and the host\'s one-tap mute ends it', async () => {
    const { host, roomId, hostSock, bob } = await roomWithHotMic();
    // the host has been reading for a while: let the floor settle
    await hostSock.waitFor((m) => isState(m) && m.sound.floor?.userId === host.id, 8000);
    const from = hostSock.messages.length;
    const t0 = Date.now();
    await act(bob.api, roomId, { type: 'unmute' });
    const flagged = await hostSock.waitFor((m) => isState(m) && m.sound.noisy.includes(bob.id), 6000, from);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`[stage-sound] hot mic flagged to the host ${seconds.toFixed(2)} s after unmuting`);
    expect(seconds).toBeLessThanOrEqual(3);
    expect(isState(flagged) && flagged.sound.noisy.includes(host.id)).toBe(false);
    // the noise is not someone holding the floor
    expect(isState(flagged) && flagged.sound.floor?.userId).toBe(host.id);
    await act(host.api, roomId, { type: 'muteMember', target: bob.id });
    await hostSock.waitFor((m) => isState(m) && !m.sound.noisy.includes(bob.id), 3000, hostSock.messages.length - 1);
    // over the whole run, the reading host was never called noisy
    const states = hostSock.messages.filter(isState);
    expect(states.filter((s) => s.sound.noisy.includes(host.id))).toHaveLength(0);
  }, 60_000);

  it('with the sound guard on, mutes a hot mic by itself after 10 s and tells the person and the host', async () => {
    const { host, roomId, hostSock, bob, bobSock } = await roomWithHotMic();
    const patched = await host.api.call('PATCH', `/api/rooms/${roomId}`, { soundGuard: { autoMuteNoisy: true } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const from = hostSock.messages.length;
    const bobFrom = bobSock.messages.length;
    await act(bob.api, roomId, { type: 'unmute' });
    const t0 = Date.now();
    await hostSock.waitFor((m) => isState(m) && m.sound.noisy.includes(bob.id), 6000, from);
    const told = await hostSock.waitFor((m) => m.type === 'notice' && m.notice === 'memberAutoMuted', 20_000, from);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`[stage-sound] hot mic auto-muted ${seconds.toFixed(2)} s after unmuting`);
    expect(told.type === 'notice' && told.by?.id).toBe(bob.id);
    expect(seconds).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeLessThan(16);
    await bobSock.waitFor((m) => m.type === 'notice' && m.notice === 'autoMutedNoise', 3000, bobFrom);
    const state = await hostSock.waitFor((m) => isState(m) && m.room.stage.some((s) => s.user.id === bob.id && s.muted), 3000, from);
    expect(isState(state) && state.room.soundGuard.autoMuteNoisy).toBe(true);
  }, 60_000);
});
