/**
 * @module store/contract-leases — the placement part of the Store contract: a free lease is taken at
 * epoch 1; its holder renews it at the same epoch; another node cannot take it before it expires and
 * takes it at the next epoch after; a release ends it at once but keeps the epoch rising; many nodes
 * claiming one room at once end with exactly one holder (on PostgreSQL these are real concurrent
 * transactions). Test code only; must never be imported by production code.
 */
import { describe, expect, it } from 'vitest';
import { roomId, T0 } from './fixtures.test-helper.ts';
import type { ContractStores } from './contract-helpers.ts';

const TTL = 3000;
const ROOM = roomId('leased');

export function leasesContract(stores: ContractStores): void {
  describe('room leases', () => {
    it('a free lease goes to its first claimer at epoch 1, and a renewal keeps the epoch', async () => {
      const store = await stores.fresh();
      expect(await store.leases.get(ROOM)).toBeNull();
      expect(await store.leases.claim(ROOM, 'a', T0, TTL)).toEqual({ roomId: ROOM, nodeId: 'a', epoch: 1, expiresAt: T0 + TTL });
      expect(await store.leases.claim(ROOM, 'a', T0 + 1000, TTL)).toEqual({ roomId: ROOM, nodeId: 'a', epoch: 1, expiresAt: T0 + 1000 + TTL });
    });

    it('another node is told who holds it until it expires, then takes it at the next epoch', async () => {
      const store = await stores.fresh();
      await store.leases.claim(ROOM, 'a', T0, TTL);
      expect(await store.leases.claim(ROOM, 'b', T0 + TTL - 1, TTL)).toMatchObject({ nodeId: 'a', epoch: 1, expiresAt: T0 + TTL });
      expect(await store.leases.claim(ROOM, 'b', T0 + TTL, TTL)).toEqual({ roomId: ROOM, nodeId: 'b', epoch: 2, expiresAt: T0 + 2 * TTL });
      // the old holder, back after its lease passed on, is refused and sees the new epoch
      expect(await store.leases.claim(ROOM, 'a', T0 + TTL + 1, TTL)).toMatchObject({ nodeId: 'b', epoch: 2 });
    });

    it('a release frees the lease at once and the next holder still gets a higher epoch', async () => {
      const store = await stores.fresh();
      await store.leases.claim(ROOM, 'a', T0, TTL);
      await store.leases.release(ROOM, 'b', 1); // not b's: nothing happens
      expect(await store.leases.claim(ROOM, 'c', T0 + 1, TTL)).toMatchObject({ nodeId: 'a' });
      await store.leases.release(ROOM, 'a', 1);
      expect(await store.leases.claim(ROOM, 'c', T0 + 2, TTL)).toMatchObject({ nodeId: 'c', epoch: 2 });
      // a release at a stale epoch does not end the new holder's lease
      await store.leases.release(ROOM, 'a', 1);
      expect(await store.leases.get(ROOM)).toMatchObject({ nodeId: 'c', epoch: 2, expiresAt: T0 + 2 + TTL });
    });

    it('leases are per room and survive a reopen', async () => {
      const store = await stores.fresh();
      await store.leases.claim(ROOM, 'a', T0, TTL);
      expect(await store.leases.claim(roomId('other'), 'b', T0, TTL)).toMatchObject({ nodeId: 'b', epoch: 1 });
      await store.close();
      const again = await stores.reopen();
      expect(await again.leases.get(ROOM)).toMatchObject({ nodeId: 'a', epoch: 1 });
    });

    it('of many nodes claiming a free room at once, exactly one holds it', async () => {
      const store = await stores.fresh();
      const nodes = Array.from({ length: 8 }, (_, i) => `n${i}`);
      const answers = await Promise.all(nodes.map((n) => store.leases.claim(ROOM, n, T0, TTL)));
      const holder = (await store.leases.get(ROOM))?.nodeId;
      expect(nodes).toContain(holder);
      // every claimer was told the same holder, at epoch 1
      expect(new Set(answers.map((a) => `${a.nodeId}@${a.epoch}`))).toEqual(new Set([`${holder}@1`]));
    });
  });
}
