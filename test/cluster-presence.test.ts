/**
 * Presence and routing across processes: one origin and two edges (edge 1 full at two listeners), real
 * NATS (a nats-server this test starts) and real PostgreSQL (a schema of its own). A listen ticket
 * names the least loaded edge, then the edge already serving the room, and skips it once it is full;
 * the room view, the room list and the listeners gauge show one count summed over the nodes; a node
 * stopped in order drops out at once, a killed one within the 3 s its reports stay fresh.
 */
import { describe, expect, it } from 'vitest';
import type { AmphiProcess } from './support/amphi-process.ts';
import { ApiClient } from './support/amphi-server.ts';
import { ProgramListener } from './support/program-listener.ts';
import { RoomSocket } from './support/room-socket-client.ts';
import { listenerOrigin, testCluster } from './support/test-cluster.ts';

const { up, node, cleanup } = await testCluster('cluster_presence');

/** the listener origin the node's next ticket for the room names */
const ticketFrom = async (p: AmphiProcess, roomId: string): Promise<string> => {
  const res = await fetch(`${p.url}/api/rooms/${roomId}/listen`);
  const body = (await res.json()) as { admission: string; url?: string };
  if (body.url === undefined) throw new Error(`no admitted ticket: ${JSON.stringify(body)}`);
  return new URL(body.url).origin.replace(/^http/, 'ws');
};
const gauge = async (p: AmphiProcess, name: string): Promise<number> => {
  const text = await fetch(`${p.url}/metrics`).then((r) => r.text());
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
};
const viewCount = async (p: AmphiProcess, roomId: string): Promise<number> =>
  ((await fetch(`${p.url}/api/rooms/${roomId}`).then((r) => r.json())) as { room: { listenerCount: number } }).room.listenerCount;
const listedCount = async (p: AmphiProcess, roomId: string): Promise<number | undefined> =>
  ((await fetch(`${p.url}/api/rooms?status=backstage`).then((r) => r.json())) as { rooms: Array<{ id: string; listenerCount: number }> }).rooms.find((r) => r.id === roomId)?.listenerCount;

describe.skipIf(!up)('presence and routing across an origin and two edges', () => {
  it('tickets go to the least loaded edge, then the one serving the room, never a full one; counts are summed over the nodes', { timeout: 120_000 }, async () => {
    // the origin first: it creates the schema's tables; edges then start on the same database
    const origin = await node('p-origin', 'origin');
    const [edge1, edge2] = await Promise.all([node('p-edge-1', 'edge', { AMPHI_MAX_LISTENERS: '2' }), node('p-edge-2', 'edge')]);
    if (edge1 === undefined || edge2 === undefined) throw new Error('edges did not start');
    const host = new ApiClient(origin.url);
    await host.signUp(`phost${Math.floor(Math.random() * 1e6)}`);
    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Counted across nodes' })).body.room.id;
    for (const p of [origin, edge1, edge2]) await expect.poll(() => gauge(p, 'amphi_cluster_nodes'), { timeout: 10_000 }).toBe(3);

    // nobody anywhere: the origin takes no listeners; both edges are idle, the tie goes to the smaller id
    expect(await ticketFrom(origin, roomId)).toBe(listenerOrigin(edge1));
    const l1 = await ProgramListener.open(origin.url, roomId, null);
    cleanup.push(() => l1.close());
    await expect.poll(() => gauge(edge1, 'amphi_audio_listeners'), { timeout: 5000 }).toBe(1);

    // edge 2 is idler, but edge 1 already serves the room: its ticket sends the listener there
    await expect.poll(() => ticketFrom(edge2, roomId), { timeout: 5000 }).toBe(listenerOrigin(edge1));
    const l2 = await ProgramListener.open(edge2.url, roomId, null, undefined, listenerOrigin(edge1));
    cleanup.push(() => l2.close());
    await expect.poll(() => gauge(edge1, 'amphi_audio_listeners'), { timeout: 5000 }).toBe(2);
    // two of edge 1's reports later it is full by its own count, whatever tickets were sent meanwhile
    await new Promise((r) => setTimeout(r, 2500));
    expect(await ticketFrom(edge2, roomId)).toBe(listenerOrigin(edge2));
    expect(await ticketFrom(origin, roomId)).toBe(listenerOrigin(edge2));

    // people in the room on each edge — the two audio sockets on edge 1, and pages following the room by its
    // WebSocket alone (a player without an audio socket): every node's view, list and gauge say the sum
    const socks = await Promise.all([RoomSocket.open(edge1.url, roomId, null), RoomSocket.open(edge2.url, roomId, null), RoomSocket.open(edge2.url, roomId, null)]);
    cleanup.push(() => socks.forEach((s) => s.close()));
    for (const p of [origin, edge1, edge2]) await expect.poll(() => viewCount(p, roomId), { timeout: 5000 }).toBe(5);
    expect(await listedCount(origin, roomId)).toBe(5);
    expect(await gauge(origin, 'amphi_listeners')).toBe(5);
    expect(await gauge(origin, 'amphi_listeners_here')).toBe(0);
    expect(await gauge(edge1, 'amphi_listeners_here')).toBe(3);
    expect(await gauge(edge2, 'amphi_listeners_here')).toBe(2);

    // edge 2 stops in order and says so: its people leave the sum at once
    await edge2.stop();
    await expect.poll(() => viewCount(origin, roomId), { timeout: 1500, interval: 100 }).toBe(3);
    // edge 1 is killed: it says nothing, and drops out once its last report is 3 s old
    await edge1.kill();
    const killedAt = Date.now();
    await expect.poll(() => viewCount(origin, roomId), { timeout: 6000, interval: 100 }).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(4500);
    expect(await gauge(origin, 'amphi_cluster_nodes')).toBe(1);
  });
});
