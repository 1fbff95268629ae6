/**
 * @module bus/revocations-contract — the one behaviour suite every Revocations implementation must
 * pass, run by revocations-local.test.ts and revocations-nats.test.ts. `make` gives
 * a cluster of nodes sharing one revocation space (the local implementation has one node, listed
 * twice) on a clock the suite moves. What a node revokes, every node must refuse and announce within
 * 1 s, and the revoking node at once. Test code only; production code never imports it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { Revocation, Revocations } from './revocations.ts';

export interface RevocationsCluster {
  /** at least two views of the same revocations (two nodes, or one node twice) */
  readonly nodes: readonly [Revocations, Revocations, ...Revocations[]];
  /** one more node, started now (local: the same one again); `close` closes it too */
  join(): Promise<Revocations>;
  close(): Promise<void>;
}

/** `now` is the suite's clock; `keepMs` how long listen tokens live */
export type MakeRevocations = (now: () => number, keepMs: number) => Promise<RevocationsCluster>;

const ROOM = asRoomId('room-1');
const OTHER_ROOM = asRoomId('room-2');
const EVE = asUserId('eve');
const BOB = asUserId('bob');
const KEEP_MS = 60_000;
const T0 = 1_700_000_000_000;

/** `holds` comes true on every node within the 1 s the cluster promises */
const onEveryNode = async (cluster: RevocationsCluster, holds: (node: Revocations) => boolean): Promise<void> => {
  for (const node of cluster.nodes) await expect.poll(() => holds(node), { timeout: 1000, interval: 10 }).toBe(true);
};
const refuses = (node: Revocations, issuedAt: number): boolean => node.refusing(ROOM, EVE, issuedAt) !== null;

export function runRevocationsContract(name: string, make: MakeRevocations): void {
  describe(`Revocations contract: ${name}`, () => {
    let clock = T0;
    const open: RevocationsCluster[] = [];
    const start = async (): Promise<RevocationsCluster> => {
      clock = T0;
      const c = await make(() => clock, KEEP_MS);
      open.push(c);
      return c;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
    });

    it('refuses a token issued before the revocation, or in its very millisecond, on every node', async () => {
      const c = await start();
      const r: Revocation = { roomId: ROOM, userId: EVE, at: T0, cause: 'removed' };
      c.nodes[0].revoke(r);
      await onEveryNode(c, (node) => refuses(node, T0 - 30_000));
      for (const node of c.nodes) {
        expect(node.refusing(ROOM, EVE, T0 - 30_000)).toEqual(r);
        expect(node.refusing(ROOM, EVE, T0)).toEqual(r);
      }
    });

    it('lets through a token issued after the revocation: the rules judged that one', async () => {
      const c = await start();
      c.nodes[0].revoke({ roomId: ROOM, userId: EVE, at: T0, cause: 'blocked' });
      await onEveryNode(c, (node) => refuses(node, T0 - 1));
      for (const node of c.nodes) expect(node.refusing(ROOM, EVE, T0 + 1)).toBeNull();
    });

    it('touches only that person in that room', async () => {
      const c = await start();
      c.nodes[0].revoke({ roomId: ROOM, userId: EVE, at: T0, cause: 'removed' });
      await onEveryNode(c, (node) => refuses(node, T0 - 1));
      for (const node of c.nodes) {
        expect(node.refusing(ROOM, BOB, T0 - 1)).toBeNull();
        expect(node.refusing(OTHER_ROOM, EVE, T0 - 1)).toBeNull();
      }
    });

    it('tells the revoking node’s subscribers at once and every other node’s within 1 s, each once', async () => {
      const c = await start();
      const heard = c.nodes.map(() => [] as Revocation[]);
      c.nodes.forEach((node, i) => node.subscribe((r) => heard[i]!.push(r)));
      const r: Revocation = { roomId: ROOM, userId: EVE, at: T0, cause: 'blocked' };
      c.nodes[0].revoke(r);
      expect(heard[0]).toEqual([r]);
      for (const h of heard) await expect.poll(() => h, { timeout: 1000, interval: 10 }).toEqual([r]);
    });

    it('stops telling a subscriber once it unsubscribed', async () => {
      const c = await start();
      const heard: Revocation[] = [];
      const off = c.nodes[0].subscribe((r) => heard.push(r));
      off();
      c.nodes[0].revoke({ roomId: ROOM, userId: EVE, at: T0, cause: 'removed' });
      await onEveryNode(c, (node) => refuses(node, T0));
      expect(heard).toEqual([]);
    });

    it('judges by the latest revocation: blocked, unblocked, blocked again refuses what came before the second', async () => {
      const c = await start();
      c.nodes[0].revoke({ roomId: ROOM, userId: EVE, at: T0, cause: 'blocked' });
      const second: Revocation = { roomId: ROOM, userId: EVE, at: T0 + 10_000, cause: 'blocked' };
      c.nodes[1].revoke(second);
      await onEveryNode(c, (node) => node.refusing(ROOM, EVE, T0 + 5_000)?.at === second.at);
      for (const node of c.nodes) expect(node.refusing(ROOM, EVE, T0 + 5_000)).toEqual(second);
    });

    it('a node that joins later refuses a token revoked before it joined, and hears what is revoked after', async () => {
      const c = await start();
      const before: Revocation = { roomId: ROOM, userId: EVE, at: T0, cause: 'removed' };
      c.nodes[0].revoke(before);
      await onEveryNode(c, (node) => refuses(node, T0 - 1));
      const late = await c.join();
      await expect.poll(() => late.refusing(ROOM, EVE, T0 - 1), { timeout: 1000, interval: 10 }).toEqual(before);
      const heard: Revocation[] = [];
      late.subscribe((r) => heard.push(r));
      const after: Revocation = { roomId: ROOM, userId: BOB, at: T0 + 1, cause: 'blocked' };
      c.nodes[1].revoke(after);
      await expect.poll(() => heard, { timeout: 1000, interval: 10 }).toEqual([after]);
      expect(late.refusing(ROOM, BOB, T0)).toEqual(after);
    });

    it('refuses nothing once every token issued before the revocation has expired by itself', async () => {
      const c = await start();
      c.nodes[0].revoke({ roomId: ROOM, userId: EVE, at: T0, cause: 'removed' });
      await onEveryNode(c, (node) => refuses(node, T0 - 1));
      clock = T0 + KEEP_MS - 1;
      for (const node of c.nodes) expect(node.refusing(ROOM, EVE, T0 - 1)).not.toBeNull();
      clock = T0 + KEEP_MS;
      for (const node of c.nodes) expect(node.refusing(ROOM, EVE, T0 - 1)).toBeNull();
    });
  });
}
