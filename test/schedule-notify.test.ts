/**
 * @module test/schedule-notify — scheduled rooms, reminders and notifications as people use them over
 * HTTP against the real server on port 0: schedule, list on the host's profile and a follower's home,
 * remind, reschedule, start early, go live and the paced notices (reminder holders and followers, each
 * once, with the host's "notified X of Y"), the live push on GET /api/me/events, cancel (reminder
 * holders told), the nudge at the start time and missed an hour later on an injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { openEvents } from './support/sse-client.ts';

const HOUR = 3_600_000;
let clock = Date.UTC(2026, 5, 1, 12);
let server: TestServer;
let seq = 0;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock, env: { AMPHI_NOTIFY_RATE: '0' } });
});
afterAll(async () => {
  await server?.dispose();
});

async function person(prefix: string): Promise<{ api: ApiClient; id: string; handle: string }> {
  const handle = `${prefix}${++seq}`;
  const api = new ApiClient(server.url);
  return { api, id: await api.signUp(handle), handle };
}

interface Scheduled { room: { id: string; status: string; schedule: { startsAt: number; timeZone: string } | null; endReason: string | null }; reminders: number; reminderSet: boolean }
interface Notifications { notifications: { id: number; kind: string; read: boolean; room: { id: string; title: string } | null; actor: { handle: string } | null }[]; unread: number }

async function schedule(host: ApiClient, startsAt: number, title = 'Launch Q&A') {
  const r = await host.call<Scheduled>('POST', '/api/scheduled-rooms', { title, topics: ['Tech'], startsAt, timeZone: 'America/New_York' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

describe('a scheduled room from announcement to live', () => {
  it('is listed, reminded, moved, started early and announced to reminder holders and followers once each', async () => {
    const host = await person('host');
    const fan = await person('fan');
    const stranger = await person('str');
    const blocked = await person('blk');
    await fan.api.call('PUT', `/api/users/${host.handle}/follow`);
    await blocked.api.call('PUT', `/api/users/${host.handle}/follow`);
    await host.api.call('PUT', `/api/users/${blocked.handle}/block`);

    const made = await schedule(host.api, clock + 24 * HOUR);
    expect(made.room).toMatchObject({ status: 'scheduled', schedule: { startsAt: clock + 24 * HOUR, timeZone: 'America/New_York' } });
    const id = made.room.id;

    const onProfile = await stranger.api.call<{ rooms: Scheduled[] }>('GET', `/api/scheduled-rooms?host=${host.handle}`);
    expect(onProfile.body.rooms.map((r) => r.room.id)).toEqual([id]);
    const home = await fan.api.call<{ rooms: Scheduled[] }>('GET', '/api/scheduled-rooms/following');
    expect(home.body.rooms.map((r) => r.room.id)).toEqual([id]);
    expect((await stranger.api.call<{ rooms: Scheduled[] }>('GET', '/api/scheduled-rooms/following')).body.rooms).toEqual([]);

    const reminded = await stranger.api.call<Scheduled>('PUT', `/api/rooms/${id}/reminder`);
    expect(reminded.body).toMatchObject({ reminders: 1, reminderSet: true });
    expect((await fan.api.call<Scheduled>('PUT', `/api/rooms/${id}/reminder`)).body).toMatchObject({ reminders: 2, reminderSet: true });
    expect((await blocked.api.call('PUT', `/api/rooms/${id}/reminder`)).body).toMatchObject({ error: { code: 'blocked_by_host' } });

    const moved = await host.api.call<Scheduled>('PATCH', `/api/rooms/${id}/schedule`, { startsAt: clock + 48 * HOUR });
    expect(moved.body.room.schedule?.startsAt).toBe(clock + 48 * HOUR);
    expect((await host.api.call('PATCH', `/api/rooms/${id}/schedule`, { startsAt: clock + 31 * 24 * HOUR })).body).toMatchObject({ error: { code: 'invalid_start_time' } });
    expect((await fan.api.call('POST', `/api/rooms/${id}/start`)).status).toBe(403);
    expect((await host.api.call('POST', `/api/rooms/${id}/actions`, { type: 'goLive' })).body).toMatchObject({ error: { code: 'not_started' } });

    const fanEvents = await openEvents(server.url, fan.api.cookie);
    expect(fanEvents.contentType).toContain('text/event-stream');
    expect((await fanEvents.next('ready')).data).toEqual({ unread: 0 });
    const hostEvents = await openEvents(server.url, host.api.cookie);
    await hostEvents.next('ready');

    const started = await host.api.call<{ room: { status: string } }>('POST', `/api/rooms/${id}/start`);
    expect(started.body.room.status).toBe('backstage');
    expect((await host.api.call<{ room: { status: string } }>('POST', `/api/rooms/${id}/actions`, { type: 'goLive' })).body.room.status).toBe('live');
    await server.notify.fanout.runUntilIdle();

    const pushed = await fanEvents.next('notification');
    expect(pushed.data).toMatchObject({ notification: { kind: 'room_live', read: false, room: { id, title: 'Launch Q&A' }, actor: { handle: host.handle } } });
    const progress = await host.api.call('GET', `/api/rooms/${id}/notices`);
    expect(progress.body).toEqual({ roomId: id, kind: 'room_live', phase: 'done', notified: 2, total: 2, done: true });
    expect((await hostEvents.next('fanout')).data).toMatchObject({ progress: { roomId: id, kind: 'room_live' } });
    expect((await fan.api.call('GET', `/api/rooms/${id}/notices`)).status).toBe(403);

    for (const p of [fan, stranger]) {
      const list = await p.api.call<Notifications>('GET', '/api/notifications');
      expect(list.body.notifications.map((n) => n.kind)).toEqual(['room_live']);
      expect(list.body.unread).toBe(1);
    }
    expect((await blocked.api.call<Notifications>('GET', '/api/notifications')).body.notifications).toEqual([]);
    expect((await host.api.call<Notifications>('GET', '/api/notifications')).body.notifications).toEqual([]);

    const read = await fan.api.call('POST', '/api/notifications/read', {});
    expect(read.body).toEqual({ marked: 1, unread: 0 });
    expect((await fan.api.call('GET', '/api/notifications/unread')).body).toEqual({ unread: 0 });
    expect((await stranger.api.call('PUT', `/api/rooms/${id}/reminder`)).body).toMatchObject({ error: { code: 'not_scheduled' } });
    fanEvents.close();
    hostEvents.close();
  });
});

describe('cancelling, the nudge and missed', () => {
  it('a cancelled room tells its reminder holders, and nobody else', async () => {
    const host = await person('host');
    const follower = await person('fol');
    const reminded = await person('rem');
    await follower.api.call('PUT', `/api/users/${host.handle}/follow`);
    const { room } = await schedule(host.api, clock + HOUR);
    await reminded.api.call('PUT', `/api/rooms/${room.id}/reminder`);
    const cancelled = await host.api.call<Scheduled>('POST', `/api/rooms/${room.id}/cancel`);
    expect(cancelled.body.room).toMatchObject({ status: 'ended', endReason: 'cancelled' });
    await server.notify.fanout.runUntilIdle();
    expect((await reminded.api.call<Notifications>('GET', '/api/notifications')).body.notifications.map((n) => [n.kind, n.room?.id])).toEqual([['room_cancelled', room.id]]);
    expect((await follower.api.call<Notifications>('GET', '/api/notifications')).body.notifications).toEqual([]);
    expect((await host.api.call('POST', `/api/rooms/${room.id}/start`)).body).toMatchObject({ error: { code: 'room_ended' } });
  });

  it('nudges the host at the start time, once, and marks the room missed an hour later', async () => {
    const host = await person('host');
    const { room } = await schedule(host.api, clock + 2 * HOUR, 'Late night');
    const events = await openEvents(server.url, host.api.cookie);
    await events.next('ready');
    clock += 2 * HOUR;
    await server.notify.scheduleClock.tick();
    expect((await events.next('notification')).data).toMatchObject({ notification: { kind: 'room_starting', room: { id: room.id, title: 'Late night' }, actor: null } });
    await server.notify.scheduleClock.tick();
    const list = await host.api.call<Notifications>('GET', '/api/notifications');
    expect(list.body.notifications.map((n) => n.kind)).toEqual(['room_starting']);
    clock += HOUR;
    await server.notify.scheduleClock.tick();
    expect((await host.api.call<{ room: { status: string; endReason: string } }>('GET', `/api/rooms/${room.id}`)).body.room).toMatchObject({ status: 'ended', endReason: 'missed' });
    events.close();
  });
});
