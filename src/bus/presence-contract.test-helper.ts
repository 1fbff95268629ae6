/**
 * @module bus/presence-contract — the one behaviour suite every Presence implementation must pass: run
 * by presence-local.test.ts (one node: it hears nobody) and presence-nats.test.ts (three nodes on a
 * nats-server of the test's own). Every expectation is written for N nodes: what node j sees is the sum
 * over the OTHER nodes' fresh reports, which for a single node is 0, exactly the count before the
 * cluster. The suite moves the clock itself. Test code only; production code never imports it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asRoomId, asUserId, type RoomId } from '../domain/ids.ts';
import type { Reaction } from '../domain/limits.ts';
import { PRESENCE_FRESH_MS, type NodeReport, type Presence, type RoomCounts } from './presence.ts';

export interface PresenceCluster {
  /** one Presence per node, each with its own node id (`ids`, in the same order) */
  readonly nodes: readonly Presence[];
  readonly ids: readonly string[];
  /** resolves once what every node published has reached the server (nothing to wait for locally) */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** `now` is the suite's clock */
export type MakePresence = (now: () => number) => Promise<PresenceCluster>;

const ROOM = asRoomId('room-1');
const OTHER = asRoomId('room-2');
const T0 = 1_700_000_000_000;

export const reportOf = (nodeId: string, rooms: ReadonlyArray<readonly [RoomId, RoomCounts]>, extra: Partial<NodeReport> = {}): NodeReport => ({
  nodeId,
  role: 'edge',
  listenOrigin: `ws://${nodeId}.example:8081`,
  capacity: 20_000,
  draining: false,
  audio: rooms.reduce((n, [, c]) => n + c.audio, 0),
  rooms: new Map(rooms),
  ...extra,
});

/** what node j must see: everyone's but its own */
const sumBut = (j: number, each: (i: number) => number, n: number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) if (i !== j) s += each(i);
  return s;
};
const idsSeenBy = (node: Presence): string[] => node.others().map((r) => r.nodeId).sort();

export function runPresenceContract(name: string, make: MakePresence): void {
  describe(`Presence contract: ${name}`, () => {
    let clock = T0;
    const open: PresenceCluster[] = [];
    const start = async (): Promise<PresenceCluster> => {
      clock = T0;
      const c = await make(() => clock);
      open.push(c);
      return c;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
    });
    /** every node publishes `counts(i)` for ROOM, then each sees the others' within 1 s */
    const everyoneReports = async (c: PresenceCluster, counts: (i: number) => RoomCounts): Promise<void> => {
      c.nodes.forEach((node, i) => node.publish(reportOf(c.ids[i] ?? '', [[ROOM, counts(i)]])));
      await c.settle();
      for (const [j, node] of c.nodes.entries()) {
        await expect.poll(() => node.listenersElsewhere(ROOM), { timeout: 1000, interval: 10 }).toBe(sumBut(j, (i) => counts(i).listeners, c.nodes.length));
      }
    };

    it('sums the room’s listeners over the other nodes and never counts a node’s own report', async () => {
      const c = await start();
      await everyoneReports(c, (i) => ({ listeners: 10 * (i + 1), audio: i + 1 }));
      for (const [j, node] of c.nodes.entries()) {
        expect(idsSeenBy(node)).toEqual(c.ids.filter((_, i) => i !== j).sort());
        expect(node.listenersElsewhere(OTHER)).toBe(0);
      }
    });

    it('hands on each other node’s report as it was published', async () => {
      const c = await start();
      // the stage members whose sockets a node holds travel with its report
      const sent = c.ids.map((id, i) => reportOf(id, [[ROOM, { listeners: 3, audio: 2, stage: [asUserId(`host-${i}`), asUserId('cohost')] }], [OTHER, { listeners: 0, audio: i }]], { role: i === 0 ? 'origin' : 'all', capacity: 100 + i, draining: i === 1 }));
      c.nodes.forEach((node, i) => node.publish(sent[i] as NodeReport));
      await c.settle();
      for (const [j, node] of c.nodes.entries()) {
        const want = sent.filter((_, i) => i !== j);
        await expect.poll(() => node.others().length, { timeout: 1000, interval: 10 }).toBe(want.length);
        expect([...node.others()].sort((a, b) => a.nodeId.localeCompare(b.nodeId))).toEqual(want);
      }
    });

    it('keeps only a node’s latest report: a new one replaces the last, it never adds to it', async () => {
      const c = await start();
      await everyoneReports(c, () => ({ listeners: 5, audio: 5 }));
      await everyoneReports(c, () => ({ listeners: 2, audio: 1 }));
      for (const node of c.nodes) for (const r of node.others()) expect(r.rooms.get(ROOM)).toEqual({ listeners: 2, audio: 1 });
    });

    it('drops a node whose reports stopped 3 s ago, and takes it back with its next report', async () => {
      const c = await start();
      await everyoneReports(c, () => ({ listeners: 4, audio: 4 }));
      clock = T0 + PRESENCE_FRESH_MS - 1;
      for (const [j, node] of c.nodes.entries()) expect(node.listenersElsewhere(ROOM)).toBe(sumBut(j, () => 4, c.nodes.length));
      clock = T0 + PRESENCE_FRESH_MS;
      for (const node of c.nodes) {
        expect(node.others()).toEqual([]);
        expect(node.listenersElsewhere(ROOM)).toBe(0);
      }
      await everyoneReports(c, () => ({ listeners: 1, audio: 1 }));
    });

    it('hands each node the reactions every other node shared, once each, never its own', async () => {
      const c = await start();
      const got = c.nodes.map(() => [] as Array<Partial<Record<Reaction, number>>>);
      c.nodes.forEach((node, j) => node.onReactions((counts) => got[j]?.push(counts.get(ROOM) ?? {})));
      c.nodes.forEach((node, i) => node.shareReactions(new Map([[ROOM, { '🔥': i + 1, '👏': 10 }]])));
      // a tick that counted nothing sends nothing
      c.nodes.forEach((node) => node.shareReactions(new Map()));
      await c.settle();
      const n = c.nodes.length;
      for (const [j, mine] of got.entries()) {
        await expect.poll(() => mine.length, { timeout: 1000, interval: 10 }).toBe(n - 1);
        const want = c.nodes.map((_, i) => ({ '🔥': i + 1, '👏': 10 })).filter((_, i) => i !== j);
        expect([...mine].sort((a, b) => (a['🔥'] ?? 0) - (b['🔥'] ?? 0))).toEqual(want);
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(got.map((g) => g.length)).toEqual(c.nodes.map(() => n - 1));
    });

    it('drops a node that closes at once, without waiting for its reports to go stale', async () => {
      const c = await start();
      await everyoneReports(c, () => ({ listeners: 7, audio: 7 }));
      const [leaving, ...staying] = c.nodes;
      await leaving?.close();
      for (const node of staying) {
        await expect.poll(() => node.listenersElsewhere(ROOM), { timeout: 1000, interval: 10 }).toBe(7 * (staying.length - 1));
        expect(idsSeenBy(node)).toHaveLength(staying.length - 1);
        expect(idsSeenBy(node)).not.toContain(c.ids[0]);
      }
    });
  });
}
