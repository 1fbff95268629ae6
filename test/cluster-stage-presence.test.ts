/**
 * Who of the stage is connected, across processes: an origin and two edges, real NATS (a nats-server
 * this test starts) and real PostgreSQL (a schema of its own). A co-host keeps their room socket on
 * edge 1 and accepts the invitation through edge 2, where they have none: they are shown connected
 * (the node holding the socket says so). Edge 1 is then killed with SIGKILL, so nobody says they left:
 * the room's origin marks them away once no node has held them for 3 s (their node's reports go stale
 * in 3 s more), while the host, whose socket is on the origin, stays connected. They come back on
 * edge 2 and are shown connected again. This needs no controlled clock: the host's grace period and
 * take-over that follow an away mark are the room scenarios' (room-live.scenarios.ts).
 */
import { describe, expect, it } from 'vitest';
import { ApiClient } from './support/amphi-server.ts';
import { RoomSocket } from './support/room-socket-client.ts';
import { testCluster } from './support/test-cluster.ts';

const { up, node, cleanup } = await testCluster('stage_presence');

interface StageView {
  readonly room: { readonly stage: ReadonlyArray<{ readonly user: { readonly id: string }; readonly connected: boolean }> };
}

const act = async (who: ApiClient, roomId: string, body: Record<string, unknown>): Promise<void> => {
  const r = await who.call('POST', `/api/rooms/${roomId}/actions`, body);
  if (r.status !== 200) throw new Error(`${String(body['type'])}: ${r.status} ${JSON.stringify(r.body)}`);
};

describe.skipIf(!up)('the stage’s presence across nodes', () => {
  it('a co-host whose edge is killed is shown away within seconds, the host on the origin stays connected, and coming back on another edge shows them connected again', { timeout: 120_000 }, async () => {
    // the origin first: it creates the schema's tables; edges then start on the same database
    const origin = await node('s-origin', 'origin');
    const [edge1, edge2] = await Promise.all([node('s-edge-1', 'edge'), node('s-edge-2', 'edge')]);
    if (edge1 === undefined || edge2 === undefined) throw new Error('edges did not start');
    const tag = Math.floor(Math.random() * 1e6);
    const host = new ApiClient(origin.url);
    const hostId = await host.signUp(`shost${tag}`);
    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Who is here' })).body.room.id;
    // the co-host's calls go through edge 2; their socket is on edge 1
    const co = new ApiClient(edge2.url);
    const coId = await co.signUp(`sco${tag}`);
    const hostSock = await RoomSocket.open(origin.url, roomId, host.cookie);
    cleanup.push(() => hostSock.close());
    await act(host, roomId, { type: 'invite', target: coId });
    const coSock = await RoomSocket.open(edge1.url, roomId, co.cookie);
    cleanup.push(() => coSock.close());
    await coSock.waitFor((m) => m.type === 'state');
    await act(co, roomId, { type: 'acceptInvite' });
    await act(host, roomId, { type: 'addCohost', target: coId });
    await act(host, roomId, { type: 'goLive' });

    const shown = async (userId: string): Promise<boolean | undefined> =>
      (await host.call<StageView>('GET', `/api/rooms/${roomId}`)).body.room.stage.find((m) => m.user.id === userId)?.connected;
    await expect.poll(() => shown(coId), { timeout: 10_000 }).toBe(true);
    expect(await shown(hostId)).toBe(true);

    await edge1.kill();
    const killedAt = Date.now();
    await expect.poll(() => shown(coId), { timeout: 20_000, interval: 200 }).toBe(false);
    const awayAfter = Date.now() - killedAt;
    expect(await shown(hostId)).toBe(true);
    process.stdout.write(`a co-host on a killed edge was shown away ${awayAfter} ms after the kill\n`);

    const back = await RoomSocket.open(edge2.url, roomId, co.cookie);
    cleanup.push(() => back.close());
    await expect.poll(() => shown(coId), { timeout: 10_000 }).toBe(true);
  });
});
