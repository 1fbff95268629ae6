/**
 * @module store/contract-notify — the notify part of the Store contract: scheduled rooms by host, by
 * follower and by due time; reminders; listen counts (once per room); notifications (once per person,
 * room and kind; unread count; mark read); fan-out jobs (made once, waves in order, every recipient
 * exactly once across batches and a reopen); webhook deliveries. Test code only; must never be imported
 * by production code.
 */
import { describe, expect, it } from 'vitest';
import type { RoomState } from '../domain/room-state.ts';
import type { Store } from './types.ts';
import { roomId, roomState, T0, user, userId } from './fixtures.test-helper.ts';
import { storeError } from './contract-helpers.ts';
import type { ContractStores } from './contract-helpers.ts';

const HOUR = 3_600_000;

function scheduled(n: number, host = userId('host'), startsAt = T0 + n * HOUR): RoomState {
  return roomState(roomId(n), host, { status: 'scheduled', schedule: { startsAt, timeZone: 'UTC', nudged: false } });
}

/** the host, `n` followers f1..fn, and room 1 live */
async function hostWithFollowers(store: Store, n: number): Promise<void> {
  await store.createUser(user('host'));
  for (let i = 1; i <= n; i += 1) {
    await store.createUser(user(`f${i}`));
    await store.follow(userId(`f${i}`), userId('host'), T0);
  }
  await store.createRoom(roomState(roomId(1), userId('host'), { status: 'live' }), []);
}

async function drain(store: Store, jobId: number, size: number): Promise<string[]> {
  const order: string[] = [];
  for (let i = 0; i < 1000; i += 1) {
    const batch = await store.notify.runFanoutBatch(jobId, size, T0 + i);
    order.push(...batch.delivered.map((d) => d.userId));
    if (batch.job.phase === 'done') return order;
  }
  throw new Error('fan-out did not finish in 1000 batches');
}

export function notifyContract({ fresh, reopen }: ContractStores): void {
  describe('scheduled rooms', () => {
    it('lists a host\'s scheduled rooms and a follower\'s, soonest first, and those due by a time', async () => {
      const store = await fresh();
      for (const u of ['host', 'other', 'fan']) await store.createUser(user(u));
      await store.follow(userId('fan'), userId('host'), T0);
      await store.createRoom(scheduled(3), []);
      await store.createRoom(scheduled(1), []);
      await store.createRoom(scheduled(2, userId('other')), []);
      await store.createRoom(roomState(roomId(9), userId('host')), []);
      const ids = (rooms: RoomState[]) => rooms.map((r) => r.id);
      expect(ids(await store.notify.listScheduledByHost(userId('host'), 10))).toEqual([roomId(1), roomId(3)]);
      expect(ids(await store.notify.listScheduledFollowed(userId('fan'), 10))).toEqual([roomId(1), roomId(3)]);
      expect(ids(await store.notify.listScheduledFollowed(userId('other'), 10))).toEqual([]);
      expect(await store.notify.listScheduledDue(T0 + 2 * HOUR, 10)).toEqual([roomId(1), roomId(2)]);
      // a moved start time moves the room in the listings
      await store.mutateRoom(roomId(1), (s) => ({ write: true, state: { ...s, schedule: { startsAt: T0 + 5 * HOUR, timeZone: 'UTC', nudged: false } }, audit: [], result: null }));
      expect(ids(await store.notify.listScheduledByHost(userId('host'), 10))).toEqual([roomId(3), roomId(1)]);
      await store.mutateRoom(roomId(3), (s) => ({ write: true, state: { ...s, status: 'backstage' }, audit: [], result: null }));
      expect(ids(await store.notify.listScheduledByHost(userId('host'), 10))).toEqual([roomId(1)]);
    });
  });

  describe('reminders and listens', () => {
    it('keeps one reminder per person and room, counts them, and removes them', async () => {
      const store = await fresh();
      for (const u of ['host', 'a', 'b']) await store.createUser(user(u));
      await store.createRoom(scheduled(1), []);
      await store.notify.setReminder(roomId(1), userId('a'), T0);
      await store.notify.setReminder(roomId(1), userId('a'), T0 + 1);
      await store.notify.setReminder(roomId(1), userId('b'), T0);
      expect(await store.notify.reminders(roomId(1), userId('a'))).toEqual({ count: 2, mine: true });
      await store.notify.removeReminder(roomId(1), userId('a'));
      expect(await store.notify.reminders(roomId(1), userId('a'))).toEqual({ count: 1, mine: false });
      expect(await store.notify.reminders(roomId(1), null)).toEqual({ count: 1, mine: false });
      expect((await storeError(store.notify.setReminder(roomId(7), userId('a'), T0))).code).toBe('not_found');
    });

    it('counts a listener once per room of a host, however often they come back to it', async () => {
      const store = await fresh();
      for (const u of ['host', 'a']) await store.createUser(user(u));
      await store.notify.countListen(userId('host'), userId('a'), roomId(1), T0);
      await store.notify.countListen(userId('host'), userId('a'), roomId(1), T0 + 1);
      await store.notify.countListen(userId('host'), userId('a'), roomId(2), T0 + 2);
      expect(await store.notify.listens(userId('host'), userId('a'))).toBe(2);
      expect(await store.notify.listens(userId('a'), userId('host'))).toBe(0);
    });
  });

  describe('notifications', () => {
    it('writes one notification per person, room and kind, lists newest first with the room, and counts unread', async () => {
      const store = await fresh();
      await hostWithFollowers(store, 1);
      const base = { userId: userId('f1'), roomId: roomId(1), actorId: userId('host'), at: T0 };
      const first = await store.notify.addNotification({ ...base, kind: 'room_live' });
      expect(first).toMatchObject({ kind: 'room_live', readAt: null, room: { title: 'Room r_1', status: 'live', startsAt: null } });
      expect(await store.notify.addNotification({ ...base, kind: 'room_live', at: T0 + 5 })).toBeNull();
      const second = await store.notify.addNotification({ ...base, kind: 'room_cancelled' });
      const list = await store.notify.listNotifications(userId('f1'), { limit: 10 });
      expect(list.map((n) => n.kind)).toEqual(['room_cancelled', 'room_live']);
      expect(await store.notify.listNotifications(userId('f1'), { limit: 10, beforeId: second?.id ?? 0 })).toHaveLength(1);
      expect(await store.notify.unreadCount(userId('f1'))).toBe(2);
      expect(await store.notify.markRead(userId('f1'), first?.id ?? 0, T0 + 9)).toBe(1);
      expect(await store.notify.unreadCount(userId('f1'))).toBe(1);
      expect(await store.notify.markRead(userId('host'), null, T0 + 9)).toBe(0);
      expect(await store.notify.markRead(userId('f1'), null, T0 + 9)).toBe(1);
      expect(await store.notify.unreadCount(userId('f1'))).toBe(0);
    });
  });

  describe('fan-out jobs', () => {
    it('makes one job per room and kind, counting each recipient once, never the host nor people the host blocked', async () => {
      const store = await fresh();
      await hostWithFollowers(store, 4);
      await store.createUser(user('stranger'));
      await store.notify.setReminder(roomId(1), userId('f1'), T0);
      await store.notify.setReminder(roomId(1), userId('stranger'), T0);
      await store.notify.setReminder(roomId(1), userId('host'), T0);
      await store.block(userId('host'), userId('f4'), T0);
      const job = await store.notify.createFanoutJob({ roomId: roomId(1), kind: 'room_live', hostId: userId('host'), at: T0 });
      expect(job).toMatchObject({ phase: 'reminders', total: 4, notified: 0, finishedAt: null });
      const again = await store.notify.createFanoutJob({ roomId: roomId(1), kind: 'room_live', hostId: userId('host'), at: T0 + 1 });
      expect(again.id).toBe(job.id);
      const cancel = await store.notify.createFanoutJob({ roomId: roomId(1), kind: 'room_cancelled', hostId: userId('host'), at: T0 });
      expect(cancel.total).toBe(2);
      expect((await store.notify.openFanoutJobs()).map((j) => j.kind)).toEqual(['room_live', 'room_cancelled']);
    });

    it('tells reminder holders first, then followers who listen most, then the rest, each exactly once', async () => {
      const store = await fresh();
      await hostWithFollowers(store, 7);
      await store.notify.setReminder(roomId(1), userId('f6'), T0);
      await store.notify.setReminder(roomId(1), userId('f2'), T0);
      for (const [who, rooms] of [['f3', 1], ['f5', 3], ['f2', 2], ['f7', 3]] as const) {
        for (let r = 0; r < rooms; r += 1) await store.notify.countListen(userId('host'), userId(who), roomId(100 + r), T0);
      }
      await store.block(userId('host'), userId('f7'), T0);
      const job = await store.notify.createFanoutJob({ roomId: roomId(1), kind: 'room_live', hostId: userId('host'), at: T0 });
      expect(job.total).toBe(6);
      const order = await drain(store, job.id, 2);
      expect(order).toEqual(['f2', 'f6', 'f5', 'f3', 'f1', 'f4'].map((f) => userId(f)));
      const done = await store.notify.getFanoutJob(roomId(1), 'room_live');
      expect(done).toMatchObject({ phase: 'done', notified: 6 });
      expect(done?.finishedAt).not.toBeNull();
      expect(await store.notify.runFanoutBatch(job.id, 2, T0)).toMatchObject({ delivered: [] });
      expect(await store.notify.openFanoutJobs()).toEqual([]);
      expect((await storeError(store.notify.runFanoutBatch(job.id + 99, 2, T0))).code).toBe('not_found');
    });

    it('a cancellation goes to reminder holders only', async () => {
      const store = await fresh();
      await hostWithFollowers(store, 3);
      await store.notify.setReminder(roomId(1), userId('f3'), T0);
      const job = await store.notify.createFanoutJob({ roomId: roomId(1), kind: 'room_cancelled', hostId: userId('host'), at: T0 });
      expect(await drain(store, job.id, 10)).toEqual([userId('f3')]);
    });

    it('resumes from its cursor after the database is reopened: nobody twice, nobody skipped', async () => {
      const first = await fresh();
      await hostWithFollowers(first, 25);
      const job = await first.notify.createFanoutJob({ roomId: roomId(1), kind: 'room_live', hostId: userId('host'), at: T0 });
      const before: string[] = [];
      // the empty reminder and listener waves take a batch each; then three batches of four followers
      for (let i = 0; i < 5; i += 1) before.push(...(await first.notify.runFanoutBatch(job.id, 4, T0)).delivered.map((d) => d.userId));
      await first.close();
      const second = await reopen();
      expect(await second.notify.getFanoutJob(roomId(1), 'room_live')).toMatchObject({ phase: 'rest', notified: 12 });
      const after = await drain(second, job.id, 4);
      const everyone = [...before, ...after].sort();
      expect(everyone).toEqual(Array.from({ length: 25 }, (_, i) => userId(`f${i + 1}`)).sort());
      const rows = (await second.snapshot())['notifications'] ?? [];
      expect(rows).toHaveLength(25);
    });
  });

  describe('webhook deliveries', () => {
    it('queues each (url, event, room) once, hands out what is due, and records attempts', async () => {
      const store = await fresh();
      const d = { url: 'https://hooks.example/a', event: 'room.live', roomId: roomId(1), payload: '{}', at: T0 };
      expect(await store.notify.enqueueWebhooks([d, { ...d, url: 'https://hooks.example/b' }])).toBe(2);
      expect(await store.notify.enqueueWebhooks([d])).toBe(0);
      const [a, b] = await store.notify.dueWebhooks(T0, 10);
      expect(a).toMatchObject({ url: d.url, attempts: 0, status: 'pending' });
      await store.notify.recordWebhookAttempt(a?.id ?? 0, { ok: false, at: T0, error: 'HTTP 500', retryAt: T0 + 1000 });
      await store.notify.recordWebhookAttempt(b?.id ?? 0, { ok: true, at: T0 });
      expect(await store.notify.dueWebhooks(T0 + 999, 10)).toEqual([]);
      expect(await store.notify.dueWebhooks(T0 + 1000, 10)).toMatchObject([{ id: a?.id, attempts: 1, lastError: 'HTTP 500' }]);
      await store.notify.recordWebhookAttempt(a?.id ?? 0, { ok: false, at: T0, error: 'HTTP 500', retryAt: null });
      expect((await store.notify.listWebhookDeliveries()).map((w) => [w.status, w.attempts])).toEqual([['failed', 2], ['delivered', 1]]);
    });
  });
}
