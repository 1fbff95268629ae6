/**
 * @module test/room-live.scenarios — what people in a room see in real time, written once and run on
 * each store (room-live-sqlite.test.ts, room-live-postgres.test.ts): room-wide state pushed per tick as
 * the same bytes to everyone, the hand-raise queue only for hosts and co-hosts, private notices,
 * aggregated reactions, removal and the end of a room closing sockets, host take-over after the grace
 * period, and a restart that loses nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/types.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { isType, RoomSocket } from './support/room-socket-client.ts';

export interface ScenarioStore {
  /** a new empty store, or (reopen) the same database as the last fresh one */
  open(reopen: boolean): Promise<Store>;
}

export function runRoomLiveScenarios(name: string, stores: ScenarioStore): void {
  describe(`room live state (${name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const d of disposers.splice(0).reverse()) await d();
    });

    const clock = { t: Date.UTC(2026, 10, 23, 12) };
    async function server(reopen = false, dataDir?: string): Promise<TestServer> {
      const s = await startTestServer({ store: await stores.open(reopen), now: () => clock.t, ...(dataDir && { dataDir }) });
      disposers.push(() => s.close());
      return s;
    }
    async function socket(s: TestServer, roomId: string, who: ApiClient | null): Promise<RoomSocket> {
      const sock = await RoomSocket.open(s.url, roomId, who?.cookie ?? null);
      disposers.push(async () => sock.close());
      return sock;
    }
    async function roomWithHost(s: TestServer) {
      const host = new ApiClient(s.url);
      const hostId = await host.signUp('host' + Math.floor(Math.random() * 1e6));
      const made = await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Launch night', topics: ['news'] });
      expect(made.status).toBe(201);
      return { host, hostId, roomId: made.body.room.id };
    }
    const act = (who: ApiClient, roomId: string, action: Record<string, unknown>) => who.call('POST', `/api/rooms/${roomId}/actions`, action);

    it('every listener gets the same room-state bytes on the tick after a change, and nothing when nothing changed', async () => {
      const s = await server();
      const { host, roomId } = await roomWithHost(s);
      const a = await socket(s, roomId, null);
      const b = await socket(s, roomId, null);
      await a.waitFor(isType('state'));
      await b.waitFor(isType('state'));
      expect((await act(host, roomId, { type: 'goLive' })).status).toBe(200);
      const fromA = a.raw.length;
      const fromB = b.raw.length;
      await s.clock.tick();
      const liveA = await a.waitFor((m) => m.type === 'state' && m.room.status === 'live', 3000, fromA);
      await b.waitFor((m) => m.type === 'state' && m.room.status === 'live', 3000, fromB);
      const textA = a.raw.slice(fromA).find((t) => t.includes('"status":"live"'));
      const textB = b.raw.slice(fromB).find((t) => t.includes('"status":"live"'));
      expect(textA).toBe(textB);
      expect(liveA.type === 'state' && liveA.room.listenerCount).toBe(2);
      const quiet = a.raw.length;
      await s.clock.tick();
      await s.clock.tick();
      await new Promise((r) => setTimeout(r, 100));
      expect(a.raw.slice(quiet)).toEqual([]);
    });

    it('hand raises reach hosts and co-hosts only, and the approved person learns they are on stage', async () => {
      const s = await server();
      const { host, roomId } = await roomWithHost(s);
      await act(host, roomId, { type: 'goLive' });
      const bob = new ApiClient(s.url);
      const bobId = await bob.signUp('bob' + Math.floor(Math.random() * 1e6));
      const hostSock = await socket(s, roomId, host);
      const bobSock = await socket(s, roomId, bob);
      const anon = await socket(s, roomId, null);
      await hostSock.waitFor((m) => m.type === 'hands' && m.reset && m.count === 0);
      expect((await act(bob, roomId, { type: 'requestToSpeak' })).status).toBe(200);
      // raising again is idempotent: one hand, one change
      expect((await act(bob, roomId, { type: 'requestToSpeak' })).status).toBe(200);
      await bobSock.waitFor((m) => m.type === 'me' && m.me.handRaised);
      await s.clock.tick();
      const delta = await hostSock.waitFor((m) => m.type === 'hands' && !m.reset && m.count === 1);
      expect(delta.type === 'hands' && delta.added.map((h) => h.user.id)).toEqual([bobId]);
      const page = await host.call("GET", `/api/rooms/${roomId}/hands?limit=10`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: 1, count: 1, hands: [{ user: { id: bobId }, tier: 'other' }] });
      expect((await bob.call("GET", `/api/rooms/${roomId}/hands`)).status).toBe(403);
      // "approve next" takes the head of the host's order: bob
      expect((await act(host, roomId, { type: 'approveNext' })).status).toBe(200);
      await bobSock.waitFor((m) => m.type === 'me' && m.me.role === 'speaker' && m.me.muted === true && !m.me.handRaised);
      await s.clock.tick();
      await hostSock.waitFor((m) => m.type === 'hands' && m.count === 0 && m.removed.includes(bobId));
      await anon.waitFor((m) => m.type === 'state' && m.room.stage.some((x) => x.user.id === bobId));
      expect(anon.messages.some((m) => m.type === 'hands')).toBe(false);
      expect(bobSock.messages.some((m) => m.type === 'hands')).toBe(false);
      expect((await act(host, roomId, { type: 'approveNext' })).body).toMatchObject({ error: { code: 'no_request' } });
    });

    it('a speaker muted by the host is told so, and the stage shows it on the next tick', async () => {
      const s = await server();
      const { host, roomId } = await roomWithHost(s);
      const bob = new ApiClient(s.url);
      const bobId = await bob.signUp('bob' + Math.floor(Math.random() * 1e6));
      await act(host, roomId, { type: 'invite', target: bobId });
      const bobSock = await socket(s, roomId, bob);
      await act(bob, roomId, { type: 'acceptInvite' });
      bobSock.send({ type: 'action', ref: 'u1', action: { type: 'unmute' } });
      await bobSock.waitFor((m) => m.type === 'ack' && m.ref === 'u1');
      await act(host, roomId, { type: 'muteMember', target: bobId });
      const notice = await bobSock.waitFor((m) => m.type === 'notice' && m.notice === 'mutedByModerator');
      expect(notice.type === 'notice' && notice.by?.id).toBeTruthy();
      await bobSock.waitFor((m) => m.type === 'me' && m.me.mutedBy === 'moderator');
    });

    it('reactions are counted per tick into one message, at most 5 per person per second', async () => {
      const s = await server();
      const { host, roomId } = await roomWithHost(s);
      await act(host, roomId, { type: 'goLive' });
      const fan = new ApiClient(s.url);
      await fan.signUp('fan' + Math.floor(Math.random() * 1e6));
      const watcher = await socket(s, roomId, null);
      await watcher.waitFor(isType('state'));
      for (let i = 0; i < 8; i++) expect((await act(fan, roomId, { type: 'react', reaction: '🔥' })).status).toBe(200);
      const from = watcher.raw.length;
      await s.clock.tick();
      const msg = await watcher.waitFor((m) => m.type === 'state' && Object.keys(m.reactions).length > 0, 3000, from);
      expect(msg.type === 'state' && msg.reactions['🔥']).toBe(5);
    });

    it('a removed person is closed out with 4011 and cannot come back', async () => {
      const s = await server();
      const { host, roomId } = await roomWithHost(s);
      const eve = new ApiClient(s.url);
      const eveId = await eve.signUp('eve' + Math.floor(Math.random() * 1e6));
      const eveSock = await socket(s, roomId, eve);
      await eveSock.waitFor(isType('state'));
      expect((await act(host, roomId, { type: 'remove', target: eveId, reason: 'spam' })).status).toBe(200);
      await eveSock.waitFor((m) => m.type === 'notice' && m.notice === 'removed');
      expect((await eveSock.waitClosed()).code).toBe(4011);
      const again = await RoomSocket.open(s.url, roomId, eve.cookie);
      const err = await again.waitFor(isType('error'));
      expect(err.code).toBe('removed_from_room');
      expect((await again.waitClosed()).code).toBe(4403);
    });

    it('ending the room tells everyone and closes their sockets with 4010', async () => {
      const s = await server();
      const { host, roomId } = await roomWithHost(s);
      await act(host, roomId, { type: 'goLive' });
      const l = await socket(s, roomId, null);
      await l.waitFor(isType('state'));
      await act(host, roomId, { type: 'end' });
      await l.waitFor((m) => m.type === 'notice' && m.notice === 'ended');
      expect((await l.waitClosed()).code).toBe(4010);
      const late = await RoomSocket.open(s.url, roomId, null);
      expect((await late.waitFor(isType('error'))).code).toBe('room_ended');
    });

    it('when the host drops for longer than the grace period, the connected co-host takes over and the room stays live', async () => {
      const s = await server();
      const { host, hostId, roomId } = await roomWithHost(s);
      const co = new ApiClient(s.url);
      const coId = await co.signUp('co' + Math.floor(Math.random() * 1e6));
      await act(host, roomId, { type: 'invite', target: coId });
      await act(co, roomId, { type: 'acceptInvite' });
      await act(host, roomId, { type: 'addCohost', target: coId });
      await act(host, roomId, { type: 'goLive' });
      const hostSock = await socket(s, roomId, host);
      const coSock = await socket(s, roomId, co);
      const listener = await socket(s, roomId, null);
      await coSock.waitFor(isType('state'));
      // presence is applied asynchronously after the socket opens: the heir must be there before the host goes
      await expect.poll(async () => (await s.store.getRoom(roomId as never))?.stage.find((m) => m.userId === coId)?.connected).toBe(true);
      hostSock.close();
      await hostSock.waitClosed();
      // presence is applied asynchronously after the close
      await expect.poll(async () => (await s.store.getRoom(roomId as never))?.stage.find((m) => m.userId === hostId)?.connected).toBe(false);
      clock.t += 30_000;
      await s.clock.tick();
      expect((await s.store.getRoom(roomId as never))?.hostId).toBe(hostId);
      clock.t += 31_000;
      await s.clock.tick();
      await listener.waitFor((m) => m.type === 'notice' && m.notice === 'hostChanged' && m.by?.id === coId);
      await coSock.waitFor((m) => m.type === 'me' && m.me.role === 'host');
      const room = await s.store.getRoom(roomId as never);
      expect(room?.hostId).toBe(coId);
      expect(room?.status).toBe('live');
      const audit = await host.call<{ entries: Array<{ action: string }> }>('GET', `/api/rooms/${roomId}/audit`);
      expect(audit.body.entries.map((e) => e.action)).toContain('host_taken_over');
    });

    it('a restart loses nothing: accounts, rooms, roles, mute state, pins, blocks and the audit log come back, and the live room carries on', async () => {
      const first = await server();
      const { host, hostId, roomId } = await roomWithHost(first);
      const bob = new ApiClient(first.url);
      const bobId = await bob.signUp('bob' + Math.floor(Math.random() * 1e6));
      const troll = new ApiClient(first.url);
      const trollHandle = 'troll' + Math.floor(Math.random() * 1e6);
      await troll.signUp(trollHandle);
      await act(host, roomId, { type: 'invite', target: bobId });
      await act(bob, roomId, { type: 'acceptInvite' });
      await act(bob, roomId, { type: 'unmute' });
      await act(host, roomId, { type: 'addCohost', target: bobId });
      await act(host, roomId, { type: 'pin', url: 'https://example.org/agenda' });
      await act(host, roomId, { type: 'goLive' });
      await host.call('PUT', `/api/users/${trollHandle}/block`);
      const before = await first.store.snapshot();
      await first.close();

      const second = await server(true, first.dataDir);
      const again = new ApiClient(second.url);
      again.cookie = host.cookie;
      const me = await again.call<{ user: { id: string } }>('GET', '/api/me');
      expect(me.body.user.id).toBe(hostId);
      const view = await again.call<{ room: { status: string; pins: Array<{ url: string }>; stage: Array<{ user: { id: string }; role: string; muted: boolean }> } }>('GET', `/api/rooms/${roomId}`);
      expect(view.body.room.status).toBe('live');
      expect(view.body.room.pins.map((p) => p.url)).toEqual(['https://example.org/agenda']);
      expect(view.body.room.stage.find((m) => m.user.id === bobId)).toMatchObject({ role: 'cohost', muted: false });
      const trollAgain = new ApiClient(second.url);
      trollAgain.cookie = troll.cookie;
      expect((await trollAgain.call('GET', `/api/rooms/${roomId}`)).status).toBe(403);
      const after = await second.store.snapshot();
      expect(after['audit_log']).toEqual(before['audit_log']);
      expect(after['users']).toEqual(before['users']);
      expect(after['blocks']).toEqual(before['blocks']);
      // the room carries on: the host reconnects and acts
      const sock = await socket(second, roomId, again);
      await sock.waitFor((m) => m.type === 'me' && m.me.role === 'host');
      expect((await act(again, roomId, { type: 'muteAll' })).status).toBe(200);
    });
  });
}
