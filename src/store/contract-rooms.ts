/**
 * @module store/contract-rooms — the rooms part of the Store contract: create/get/list, mutateRoom
 * (write or not, versions, audit order, missing rooms, failures, concurrency, durability across
 * reopen), reports and snapshot(). Test code only; must never be imported by production code.
 */
import { describe, expect, it } from 'vitest';
import type { RoomState } from '../domain/room-state.ts';
import { auditEntry, member, roomId, roomState, T0, user, userId } from './fixtures.test-helper.ts';
import { pinned, storeError, withRoom } from './contract-helpers.ts';
import type { ContractStores } from './contract-helpers.ts';
import type { Mutation, Store } from './types.ts';

export function roomsContract({ fresh, reopen }: ContractStores): void {
  describe('rooms', () => {
    it('gives back a created room exactly as it was stored, and null for an unknown id', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      expect(await store.getRoom(state.id)).toEqual(state);
      expect(await store.getRoom(roomId(404))).toBeNull();
      expect(await store.listAudit(state.id, 10)).toEqual([
        { ...auditEntry('room_created', userId('host'), T0), roomId: state.id, seq: expect.any(Number) },
      ]);
    });

    it('refuses a second room with the same id with room_exists and changes nothing', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      const before = await store.snapshot();
      const again = roomState(state.id, userId('host'), { title: 'other' });
      const error = await storeError(store.createRoom(again, [auditEntry('room_created', userId('host'), T0 + 1)]));
      expect(error.code).toBe('room_exists');
      expect(await store.snapshot()).toEqual(before);
    });

    it('lists rooms of the given statuses, newest first, up to the limit', async () => {
      const store = await fresh();
      await store.createUser(user('host'));
      const host = userId('host');
      const rooms = [
        roomState(roomId('a'), host, { createdAt: T0 + 1, status: 'live' }),
        roomState(roomId('b'), host, { createdAt: T0 + 3, status: 'backstage' }),
        roomState(roomId('c'), host, { createdAt: T0 + 2, status: 'live' }),
        roomState(roomId('d'), host, { createdAt: T0 + 4, status: 'ended' }),
      ];
      for (const r of rooms) await store.createRoom(r, []);
      const ids = async (statuses: Parameters<Store['listRooms']>[0], limit: number) =>
        (await store.listRooms(statuses, limit)).map((r) => r.id);
      expect(await ids(['live'], 10)).toEqual([roomId('c'), roomId('a')]);
      expect(await ids(['live', 'backstage'], 10)).toEqual([roomId('b'), roomId('c'), roomId('a')]);
      expect(await ids(['live', 'backstage', 'ended'], 2)).toEqual([roomId('d'), roomId('b')]);
      expect(await ids([], 10)).toEqual([]);
    });
  });

  describe('mutateRoom', () => {
    it('returns the current state and result and writes nothing when the decision does not write', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      const before = await store.snapshot();
      const out = await store.mutateRoom(state.id, (s): Mutation<string> => ({ write: false, result: `saw ${s.title}` }));
      expect(out).toEqual({ state, result: `saw ${state.title}`, version: 1 });
      expect(await store.snapshot()).toEqual(before);
    });

    it('stores the new state, bumps the version, updates the indexed columns and appends the audit in order', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      await store.createUser(user(2));
      const live: RoomState = { ...state, status: 'live', liveAt: T0 + 10, title: 'Now live' };
      const out = await store.mutateRoom(state.id, () => ({
        write: true,
        state: live,
        audit: [auditEntry('details_updated', userId('host'), T0 + 10), auditEntry('went_live', userId('host'), T0 + 10)],
        result: 1,
      }));
      expect(out).toEqual({ state: live, result: 1, version: 2 });
      const handed: RoomState = {
        ...live,
        hostId: userId(2),
        stage: [member(userId(2), 'host'), member(userId('host'), 'cohost')],
      };
      await store.mutateRoom(state.id, () => ({
        write: true,
        state: handed,
        audit: [auditEntry('host_handed_over', userId('host'), T0 + 20, userId(2))],
        result: 2,
      }));
      expect(await store.getRoom(state.id)).toEqual(handed);
      // what room events carry so a node drops an update older than what it holds
      expect(await store.getRoomVersioned(state.id)).toEqual({ state: handed, version: 3 });
      expect(await store.getRoomVersioned(roomId('no-such-room'))).toBeNull();

      const snap = await store.snapshot();
      expect(snap['rooms']).toEqual([
        expect.objectContaining({ id: state.id, status: 'live', host_id: userId(2), title: 'Now live', version: 3 }),
      ]);
      const audit = await store.listAudit(state.id, 100);
      expect(audit.map((a) => a.action)).toEqual(['room_created', 'details_updated', 'went_live', 'host_handed_over']);
      const seqs = audit.map((a) => a.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(audit[3]).toEqual({
        roomId: state.id,
        seq: seqs[3],
        actor: userId('host'),
        target: userId(2),
        action: 'host_handed_over',
        reason: '',
        at: T0 + 20,
      });
    });

    it('lists the latest audit entries of a room, oldest first, and only that room', async () => {
      const store = await fresh();
      const state = await withRoom(store, 1);
      await store.createRoom(roomState(roomId(2), userId('host')), [auditEntry('room_created', userId('host'), T0)]);
      for (const url of ['https://a.example', 'https://b.example', 'https://c.example']) {
        await store.mutateRoom(state.id, (s) => ({
          write: true,
          state: pinned(s, url, T0 + 1),
          audit: [auditEntry('pinned', userId('host'), T0 + 1, null, url)],
          result: null,
        }));
      }
      const latest = await store.listAudit(state.id, 2);
      expect(latest.map((a) => a.reason)).toEqual(['https://b.example', 'https://c.example']);
      expect((await store.listAudit(roomId(2), 10)).map((a) => a.action)).toEqual(['room_created']);
    });

    it('returns null for an unknown room without asking the decision', async () => {
      const store = await fresh();
      let asked = false;
      const out = await store.mutateRoom(roomId(404), () => {
        asked = true;
        return { write: false, result: 0 };
      });
      expect(out).toBeNull();
      expect(asked).toBe(false);
    });

    it('leaves the room as it was when the decision throws', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      const before = await store.snapshot();
      await expect(
        store.mutateRoom(state.id, () => {
          throw new RangeError('a bug in a rule');
        }),
      ).rejects.toThrow('a bug in a rule');
      expect(await store.snapshot()).toEqual(before);
    });

    it('serialises concurrent decisions on one room so that none is lost', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      const urls = Array.from({ length: 12 }, (_, i) => `https://pin.example/${i}`);
      await Promise.all(
        urls.map((url) =>
          store.mutateRoom(state.id, (s) => ({
            write: true,
            state: pinned(s, url, T0),
            audit: [auditEntry('pinned', userId('host'), T0, null, url)],
            result: s.pins.length,
          })),
        ),
      );
      const after = await store.getRoom(state.id);
      expect(after?.pins.map((p) => p.url).sort()).toEqual([...urls].sort());
      expect((await store.snapshot())['rooms']).toEqual([expect.objectContaining({ version: 13 })]);
      expect(await store.listAudit(state.id, 100)).toHaveLength(13);
    });

    it('keeps accounts, rooms and audit entries across close and reopen', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      const live: RoomState = { ...state, status: 'live', liveAt: T0 + 5 };
      await store.mutateRoom(state.id, () => ({
        write: true,
        state: live,
        audit: [auditEntry('went_live', userId('host'), T0 + 5)],
        result: null,
      }));
      const before = await store.snapshot();
      await store.close();
      const again = await reopen();
      expect(await again.snapshot()).toEqual(before);
      expect(await again.getRoom(state.id)).toEqual(live);
      expect(await again.getUserByHandle('handlehost')).toEqual(user('host'));
      expect((await again.listAudit(state.id, 10)).map((a) => a.action)).toEqual(['room_created', 'went_live']);
    });
  });

  describe('reports', () => {
    it('stores reports of a room in the order they came, and refuses one about an unknown room', async () => {
      const store = await fresh();
      const state = await withRoom(store);
      const first = { roomId: state.id, reporter: userId(5), target: userId(6), reason: 'spam', at: T0 + 1 };
      const second = { roomId: state.id, reporter: userId(7), target: null, reason: 'title', at: T0 + 2 };
      await store.addReport(first);
      await store.addReport(second);
      expect(await store.listReports(state.id)).toEqual([first, second]);
      expect(await store.listReports(roomId(404))).toEqual([]);
      expect((await storeError(store.addReport({ ...first, roomId: roomId(404) }))).code).toBe('not_found');
    });
  });

  describe('snapshot', () => {
    it('lists every row of every table in key order, with numbers as numbers', async () => {
      const store = await fresh();
      expect(await store.snapshot()).toEqual({
        users: [],
        sessions: [],
        follows: [],
        blocks: [],
        rooms: [],
        audit_log: [],
        reports: [],
        reminders: [],
        notifications: [],
        fanout_jobs: [],
        listen_counts: [],
        webhook_deliveries: [],
        sign_in_attempts: [],
        hand_raises: [],
        hand_counts: [],
        spoke_with: [],
      });
      await store.createUser(user(2, 'Bee'));
      await store.createUser(user(1, 'Ay'));
      await store.follow(userId(2), userId(1), T0 + 1);
      await store.block(userId(1), userId(2), T0 + 2);
      await store.createSession({ tokenHash: 'tok', userId: userId(1), createdAt: T0, expiresAt: T0 + 9 });
      const state = roomState(roomId(1), userId(1));
      await store.createRoom(state, [auditEntry('room_created', userId(1), T0)]);
      await store.addReport({ roomId: state.id, reporter: userId(2), target: null, reason: 'r', at: T0 + 3 });

      const snap = await store.snapshot();
      expect(snap['users']).toEqual([
        {
          id: userId(1),
          handle: 'Ay',
          handle_lower: 'ay',
          display_name: 'Person 1',
          password_hash: 'scrypt$hash-of-1',
          created_at: T0,
        },
        expect.objectContaining({ id: userId(2), handle_lower: 'bee' }),
      ]);
      expect(snap['follows']).toEqual([{ follower: userId(2), followee: userId(1), at: T0 + 1 }]);
      expect(snap['blocks']).toEqual([{ blocker: userId(1), blocked: userId(2), at: T0 + 2 }]);
      expect(snap['sessions']).toEqual([{ token_hash: 'tok', user_id: userId(1), created_at: T0, expires_at: T0 + 9 }]);
      expect(snap['rooms']).toEqual([
        {
          id: state.id,
          status: 'backstage',
          created_by: userId(1),
          host_id: userId(1),
          title: state.title,
          created_at: T0,
          updated_at: expect.any(Number),
          version: 1,
          starts_at: null,
          state: JSON.stringify(state),
        },
      ]);
      expect(snap['audit_log']).toEqual([
        { seq: expect.any(Number), room_id: state.id, actor: userId(1), target: null, action: 'room_created', reason: '', at: T0 },
      ]);
      expect(snap['reports']).toEqual([
        { id: expect.any(Number), room_id: state.id, reporter: userId(2), target: null, reason: 'r', at: T0 + 3 },
      ]);
    });
  });
}
