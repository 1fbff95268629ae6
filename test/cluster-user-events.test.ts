/**
 * A person's live channel across processes: one origin and two edges, real NATS (a nats-server this
 * test starts) and real PostgreSQL (a schema of its own). Followers whose event streams
 * (GET /api/me/events) are open on either edge get the "is live" notification when the host goes live on
 * the origin, whichever node works the fan-out, and the host, whose stream is on an edge, sees the
 * go-live fan-out's progress: the user channels reach whichever node holds the stream.
 */
import { describe, expect, it } from 'vitest';
import { ApiClient } from './support/amphi-server.ts';
import { openEvents } from './support/sse-client.ts';
import { testCluster } from './support/test-cluster.ts';

const { up, node, cleanup } = await testCluster('cluster_user_events');

describe.skipIf(!up)('user channels across an origin and two edges', () => {
  it("the go-live notification reaches followers' streams on both edges, and the fan-out's progress the host's", { timeout: 120_000 }, async () => {
    const origin = await node('u-origin', 'origin');
    const [edge1, edge2] = await Promise.all([node('u-edge-1', 'edge'), node('u-edge-2', 'edge')]);
    if (edge1 === undefined || edge2 === undefined) throw new Error('edges did not start');
    const tag = Math.floor(Math.random() * 1e6);
    const host = new ApiClient(origin.url);
    const hostHandle = `uhost${tag}`;
    await host.signUp(hostHandle);
    // a follower on each edge: whichever node works the fan-out, at least one of them is on another
    const fans = [new ApiClient(edge1.url), new ApiClient(edge2.url)];
    for (const [i, fan] of fans.entries()) {
      await fan.signUp(`ufan${i}_${tag}`);
      expect((await fan.call('PUT', `/api/users/${hostHandle}/follow`)).status).toBe(200);
    }
    const fanEvents = await Promise.all(fans.map((fan, i) => openEvents((i === 0 ? edge1 : edge2).url, fan.cookie)));
    const hostEvents = await openEvents(edge2.url, host.cookie);
    cleanup.push(() => {
      fanEvents.forEach((e) => e.close());
      hostEvents.close();
    });
    for (const e of [...fanEvents, hostEvents]) await e.next('ready');

    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Live across nodes' })).body.room.id;
    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' })).status).toBe(200);

    for (const e of fanEvents) {
      const live = await e.next('notification');
      expect(live.data).toMatchObject({ notification: { kind: 'room_live', room: { id: roomId, title: 'Live across nodes' } } });
    }
    const progress = await hostEvents.next('fanout');
    expect(progress.data).toMatchObject({ progress: { roomId } });
  });
});
