/**
 * @module store/contract-hands — the hand-raise part of the Store contract: raising and lowering are
 * idempotent and counted (with a rising seq), a batch applies in one change, the page comes in the
 * host's order (followed, spoke before, then earliest) with offset, limit and a case-insensitive search
 * that takes wildcards literally, and the rows outlive a reopen. Test code only; must never be imported by
 * production code.
 */
import { describe, expect, it } from 'vitest';
import type { UserId } from '../domain/ids.ts';
import { roomId, roomState, T0, user, userId } from './fixtures.test-helper.ts';
import { withRoom } from './contract-helpers.ts';
import type { ContractStores } from './contract-helpers.ts';
import type { Store } from './types.ts';

const HOST = userId('host');
const raise = (id: UserId, at: number) => ({ userId: id, at });

async function withPeople(store: Store, names: ReadonlyArray<number | string>): Promise<void> {
  for (const n of names) await store.createUser(user(n));
}

export function handsContract({ fresh, reopen }: ContractStores): void {
  describe('hand raises', () => {
    it('a raise is idempotent and keeps its first time; a lower of a hand that is down changes nothing; each change moves the count and seq', async () => {
      const store = await fresh();
      const room = await withRoom(store);
      expect(await store.hands.count(room.id)).toEqual({ count: 0, seq: 0 });
      const first = await store.hands.apply(room.id, HOST, [raise(userId(1), T0 + 1)], []);
      expect(first).toEqual({ added: [{ userId: userId(1), at: T0 + 1, tier: 2 }], removed: [], count: 1, seq: 1 });
      const again = await store.hands.apply(room.id, HOST, [raise(userId(1), T0 + 5)], [userId(2)]);
      expect(again).toEqual({ added: [], removed: [], count: 1, seq: 1 });
      expect((await store.hands.page(room.id, { offset: 0, limit: 10 })).rows).toEqual([{ userId: userId(1), at: T0 + 1, tier: 2 }]);
      const lowered = await store.hands.apply(room.id, HOST, [], [userId(1)]);
      expect(lowered).toEqual({ added: [], removed: [userId(1)], count: 0, seq: 2 });
      expect(await store.hands.raised(room.id, [userId(1)])).toEqual(new Set());
    });

    it('a batch raises and lowers in one change, lowers after raises, and says only what moved', async () => {
      const store = await fresh();
      const room = await withRoom(store);
      await store.hands.apply(room.id, HOST, [raise(userId(1), T0)], []);
      const change = await store.hands.apply(room.id, HOST, [raise(userId(2), T0 + 1), raise(userId(3), T0 + 2)], [userId(1), userId(3), userId(9)]);
      expect(change.added.map((r) => r.userId)).toEqual([userId(2), userId(3)]);
      expect([...change.removed].sort()).toEqual([userId(1), userId(3)]);
      expect(change).toMatchObject({ count: 1, seq: 2 });
      expect(await store.hands.raised(room.id, [userId(1), userId(2), userId(3), userId(2)])).toEqual(new Set([userId(2)]));
    });

    it('pages come in the host\'s order: followed by the host, then spoke in the host\'s rooms before, then earliest first', async () => {
      const store = await fresh();
      const room = await withRoom(store);
      await withPeople(store, [1, 2, 3, 4, 5]);
      await store.follow(HOST, userId(4), T0);
      await store.hands.noteSpoke(HOST, userId(5), T0);
      await store.hands.noteSpoke(HOST, userId(5), T0 + 9); // once is enough
      await store.hands.noteSpoke(userId(1), userId(3), T0); // another host's stage does not count
      await store.hands.apply(room.id, HOST, [raise(userId(1), T0 + 10), raise(userId(3), T0 + 11), raise(userId(5), T0 + 12), raise(userId(4), T0 + 13), raise(userId(2), T0 + 14)], []);
      const all = await store.hands.page(room.id, { offset: 0, limit: 10 });
      expect(all.rows.map((r) => [r.userId, r.tier])).toEqual([[userId(4), 0], [userId(5), 1], [userId(1), 2], [userId(3), 2], [userId(2), 2]]);
      expect(all.total).toBe(5);
      const second = await store.hands.page(room.id, { offset: 2, limit: 2 });
      expect(second.rows.map((r) => r.userId)).toEqual([userId(1), userId(3)]);
      expect(second.total).toBe(5);
    });

    it('a search keeps handles and display names containing it, ignoring case, and takes % and _ literally', async () => {
      const store = await fresh();
      const room = await withRoom(store);
      await store.createUser({ ...user('a', 'Ada_Lovelace'), displayName: 'Countess' });
      await store.createUser({ ...user('b', 'babbage'), displayName: 'Charles 100%' });
      await store.createUser({ ...user('c', 'AdaXLove'), displayName: 'Someone' });
      await store.hands.apply(room.id, HOST, [raise(userId('a'), T0), raise(userId('b'), T0 + 1), raise(userId('c'), T0 + 2)], []);
      const ids = async (search: string) => (await store.hands.page(room.id, { offset: 0, limit: 10, search })).rows.map((r) => r.userId);
      expect(await ids('ADA')).toEqual([userId('a'), userId('c')]);
      expect(await ids('a_l')).toEqual([userId('a')]);
      expect(await ids('100%')).toEqual([userId('b')]);
      expect(await ids('countess')).toEqual([userId('a')]);
      expect((await store.hands.page(room.id, { offset: 0, limit: 1, search: 'ada' })).total).toBe(2);
    });

    it('hands are per room and outlive a reopen', async () => {
      const store = await fresh();
      const room = await withRoom(store);
      const other = roomState(roomId(2), HOST);
      await store.createRoom(other, []);
      await store.hands.apply(room.id, HOST, [raise(userId(1), T0)], []);
      await store.hands.apply(other.id, HOST, [raise(userId(2), T0)], []);
      await store.close();
      const again = await reopen();
      expect((await again.hands.page(room.id, { offset: 0, limit: 10 })).rows.map((r) => r.userId)).toEqual([userId(1)]);
      expect(await again.hands.count(other.id)).toEqual({ count: 1, seq: 1 });
    });
  });
}
