/**
 * The stage's network over the real room socket: stage members get TURN credentials of their own for
 * their peer (rtcConfig) and nobody else does; a member's browser report (rtcQuality) reaches the hosts
 * as a verdict of the server's (stageNetwork) on the next tick, "reconnecting" once the member's socket
 * is gone, and the entry goes when they leave the stage. Media itself is tested in stage-turn.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../src/protocol/api-views.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { RoomSocket } from './support/room-socket-client.ts';

const SECRET = 'the-shared-turn-secret-of-this-test';
let server: TestServer;
const cleanup: Array<() => void> = [];
beforeAll(async () => {
  server = await startTestServer({
    autoTick: true,
    env: { AMPHI_TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:443?transport=tcp', AMPHI_TURN_SECRET: SECRET, AMPHI_TICK_MS: '100' },
  });
});
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) c();
  await server.dispose();
});

let n = 0;
async function person(name: string): Promise<{ api: ApiClient; id: string }> {
  const api = new ApiClient(server.url);
  const id = await api.signUp(`${name}${++n}${Math.floor(Math.random() * 1e6)}`);
  return { api, id };
}
async function socket(who: ApiClient, roomId: string): Promise<RoomSocket> {
  const s = await RoomSocket.open(server.url, roomId, who.cookie);
  cleanup.push(() => s.close());
  return s;
}
const act = async (who: ApiClient, roomId: string, action: Record<string, unknown>) => {
  const r = await who.call('POST', `/api/rooms/${roomId}/actions`, action);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
type StageNetwork = Extract<ServerMessage, { type: 'stageNetwork' }>;
const networkOf = (userId: string) => (m: ServerMessage): m is StageNetwork => m.type === 'stageNetwork' && m.members.some((x) => x.userId === userId);

describe('the stage network on the room socket', () => {
  it('hands stage members TURN credentials of their own, and refuses everyone else with not_on_stage', async () => {
    const host = await person('host');
    const roomId = (await host.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Network check' })).body.room.id;
    const hostSock = await socket(host.api, roomId);
    hostSock.send({ type: 'rtcConfig', ref: 'c1' });
    const cfg = await hostSock.waitFor((m): m is Extract<ServerMessage, { type: 'rtcConfig' }> => m.type === 'rtcConfig' && m.ref === 'c1');
    expect(cfg.iceServers).toHaveLength(1);
    expect(cfg.iceServers[0]?.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp']);
    expect(cfg.iceServers[0]?.username).toMatch(new RegExp(`^\\d{10}:${host.id}$`));
    expect(cfg.expiresAt).toBeGreaterThan(Date.now() + 3600_000);

    const listener = await person('listener');
    const lSock = await socket(listener.api, roomId);
    lSock.send({ type: 'rtcConfig', ref: 'c2' });
    expect(await lSock.waitFor((m) => m.type === 'error' && m.ref === 'c2')).toMatchObject({ code: 'not_on_stage' });
  });

  it("tells the hosts each member's network as the server judges it, 'reconnecting' when their socket drops, nothing once they leave the stage", async () => {
    const host = await person('host');
    const roomId = (await host.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Network check' })).body.room.id;
    const hostSock = await socket(host.api, roomId);
    const bob = await person('bob');
    await act(host.api, roomId, { type: 'invite', target: bob.id });
    await act(bob.api, roomId, { type: 'acceptInvite' });
    const bobSock = await socket(bob.api, roomId);
    // a client claiming nothing about its verdict: the server judges 7% loss poor itself
    bobSock.send({ type: 'rtcQuality', quality: { link: 'connected', path: 'relayed', relayProtocol: 'tcp', rttMs: 120, lossPct: 7, jitterMs: 12 } });
    const seen = await hostSock.waitFor(networkOf(bob.id));
    expect(seen.members.find((m) => m.userId === bob.id)).toEqual({
      userId: bob.id, link: 'connected', path: 'relayed', relayProtocol: 'tcp', rttMs: 120, lossPct: 7, jitterMs: 12, level: 'poor', problem: 'loss',
    });
    // a listener never gets it
    const listener = await person('listener');
    const lSock = await socket(listener.api, roomId);

    const from = hostSock.messages.length;
    bobSock.close();
    const gone = await hostSock.waitFor((m): m is StageNetwork => networkOf(bob.id)(m) && m.members.some((x) => x.userId === bob.id && x.link === 'reconnecting'), 3000, from);
    expect(gone.members.find((m) => m.userId === bob.id)).toMatchObject({ link: 'reconnecting', level: null });

    const from2 = hostSock.messages.length;
    await act(host.api, roomId, { type: 'moveToAudience', target: bob.id });
    const after = await hostSock.waitFor((m): m is StageNetwork => m.type === 'stageNetwork', 3000, from2);
    expect(after.members.some((m) => m.userId === bob.id)).toBe(false);
    expect(lSock.messages.some((m) => m.type === 'stageNetwork')).toBe(false);
  });

  it('refuses a report with figures out of bounds as a bad request', async () => {
    const host = await person('host');
    const roomId = (await host.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Network check' })).body.room.id;
    const hostSock = await socket(host.api, roomId);
    hostSock.send({ type: 'rtcQuality', ref: 'q', quality: { link: 'connected', path: 'direct', relayProtocol: null, rttMs: -5, lossPct: 0, jitterMs: 0 } } as never);
    // a message that fails its schema has no ref the server trusts: the error names the field instead
    expect(await hostSock.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'bad_request', message: expect.stringContaining('quality.rttMs') });
  });
});
