/**
 * @module test/room-live.scenarios — what people in a room see in real time, written once and run on a
 * single node on each store (room-live-sqlite.test.ts, room-live-postgres.test.ts) and on a cluster of
 * an origin and two edges (room-live-cluster.test.ts): room-wide state pushed per tick as the same bytes
 * to everyone, the hand-raise queue only for hosts and co-hosts, private notices, aggregated reactions,
 * removal and the end of a room closing sockets, host take-over after the grace period, and a restart
 * that loses nothing. People are spread over the site's nodes (live-site.ts): the host is on node 0 (the
 * origin), everyone else's socket and API calls on nodes 1 and 2, a person's socket often on another
 * node than their API calls, so on a cluster every line below crosses nodes; on one node they are all
 * the same node.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../src/protocol/api-views.ts';
import { ApiClient } from './support/amphi-server.ts';
import type { LiveSite, OpenSite } from './support/live-site.ts';
import { isType, RoomSocket } from './support/room-socket-client.ts';

type StateMessage = Extract<ServerMessage, { type: 'state' }>;
/** the scenarios a site of processes runs too: starting and restarting three processes takes a while on a busy machine */
const SLOW = { timeout: 180_000 };
const isState = isType('state');

/**
 * `clock`: 'controlled' (the default) when the site's nodes run on the scenarios' clock and tick when
 * told; 'real' for a site of processes that keep their own time, where only the scenarios that never
 * step the clock are registered (removal, the end of a room, a restart)
 */
export function runRoomLiveScenarios(name: string, openSite: OpenSite, clock: 'controlled' | 'real' = 'controlled'): void {
  /** a scenario that steps the room clock or moves time: registered only where the site can */
  const stepped = clock === 'controlled' ? it : (_name: string, _fn: () => Promise<void>) => undefined;
  describe(`room live state (${name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const d of disposers.splice(0).reverse()) await d();
    });

    const time = { t: Date.UTC(2026, 10, 23, 12) };
    async function open(): Promise<LiveSite> {
      const site = await openSite(() => time.t);
      disposers.push(() => site.close());
      return site;
    }
    async function socket(url: string, roomId: string, who: ApiClient | null): Promise<RoomSocket> {
      const sock = await RoomSocket.open(url, roomId, who?.cookie ?? null);
      disposers.push(async () => sock.close());
      return sock;
    }
    /** a new account whose API calls go to `url` */
    async function person(url: string, prefix: string): Promise<{ api: ApiClient; id: string; handle: string }> {
      const api = new ApiClient(url);
      const handle = prefix + Math.floor(Math.random() * 1e6);
      return { api, id: await api.signUp(handle), handle };
    }
    /** the host signs up and creates the room on node 0 */
    async function roomWithHost(site: LiveSite) {
      const host = await person(site.url(0), 'host');
      const made = await host.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Launch night', topics: ['news'] });
      expect(made.status).toBe(201);
      return { host: host.api, hostId: host.id, roomId: made.body.room.id };
    }
    /** the same person (their session) calling through another node */
    const through = (who: ApiClient, url: string): ApiClient => Object.assign(new ApiClient(url), { cookie: who.cookie });
    const act = (who: ApiClient, roomId: string, action: Record<string, unknown>) => who.call('POST', `/api/rooms/${roomId}/actions`, action);
    /** whether the room's record shows this stage member connected (presence is applied after the socket's node hears of it) */
    const connected = async (site: LiveSite, roomId: string, userId: string): Promise<boolean | undefined> =>
      (await site.store.getRoom(roomId as never))?.stage.find((m) => m.userId === userId)?.connected;
    const stateMessages = (s: RoomSocket, from = 0): StateMessage[] => s.messages.slice(from).filter(isState);

    stepped('every listener gets the same room-state bytes on the tick after a change, and nothing when nothing changed', async () => {
      const site = await open();
      const { host, roomId } = await roomWithHost(site);
      const a = await socket(site.url(1), roomId, null);
      const b = await socket(site.url(2), roomId, null);
      await a.waitFor(isState);
      await b.waitFor(isState);
      // one count for the room, wherever its people are
      await site.counted(roomId, 2);
      expect((await act(host, roomId, { type: 'goLive' })).status).toBe(200);
      const fromA = a.raw.length;
      const fromB = b.raw.length;
      await site.tick();
      const liveA = await a.waitFor((m) => m.type === 'state' && m.room.status === 'live', 3000, fromA);
      await b.waitFor((m) => m.type === 'state' && m.room.status === 'live', 3000, fromB);
      const textA = a.raw.slice(fromA).find((t) => t.includes('"status":"live"'));
      const textB = b.raw.slice(fromB).find((t) => t.includes('"status":"live"'));
      expect(textA).toBe(textB);
      expect(liveA.type === 'state' && liveA.room.listenerCount).toBe(2);
      const quiet = a.raw.length;
      await site.tick();
      await site.tick();
      await new Promise((r) => setTimeout(r, 100));
      expect(a.raw.slice(quiet)).toEqual([]);
    });

    stepped('hand raises reach hosts and co-hosts only, and the approved person learns they are on stage', async () => {
      const site = await open();
      const { host, roomId } = await roomWithHost(site);
      await act(host, roomId, { type: 'goLive' });
      // bob raises his hand through node 1; his socket is on node 2
      const bob = await person(site.url(1), 'bob');
      const hostSock = await socket(site.url(0), roomId, host);
      const bobSock = await socket(site.url(2), roomId, bob.api);
      const anon = await socket(site.url(1), roomId, null);
      await hostSock.waitFor((m) => m.type === 'hands' && m.reset && m.count === 0);
      expect((await act(bob.api, roomId, { type: 'requestToSpeak' })).status).toBe(200);
      // raising again is idempotent: one hand, one change
      expect((await act(bob.api, roomId, { type: 'requestToSpeak' })).status).toBe(200);
      await bobSock.waitFor((m) => m.type === 'me' && m.me.handRaised);
      await site.tick();
      const delta = await hostSock.waitFor((m) => m.type === 'hands' && !m.reset && m.count === 1);
      expect(delta.type === 'hands' && delta.added.map((h) => h.user.id)).toEqual([bob.id]);
      expect(delta.type === 'hands' && delta.added.map((h) => h.user.handle)).toEqual([bob.handle]);
      // the host reads the queue through another node: the session and the queue are the cluster's
      const page = await through(host, site.url(2)).call('GET', `/api/rooms/${roomId}/hands?limit=10`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: 1, count: 1, hands: [{ user: { id: bob.id }, tier: 'other' }] });
      expect((await bob.api.call('GET', `/api/rooms/${roomId}/hands`)).status).toBe(403);
      // "approve next" takes the head of the host's order: bob
      expect((await act(host, roomId, { type: 'approveNext' })).status).toBe(200);
      await bobSock.waitFor((m) => m.type === 'me' && m.me.role === 'speaker' && m.me.muted === true && !m.me.handRaised);
      // his socket is on another node than the one that brought him up: he is shown connected all the same
      await expect.poll(() => connected(site, roomId, bob.id)).toBe(true);
      await site.tick();
      await hostSock.waitFor((m) => m.type === 'hands' && m.count === 0 && m.removed.includes(bob.id));
      // everyone sees him on the stage, by name, and connected (his socket is open, on node 2)
      const onStage = await anon.waitFor((m) => m.type === 'state' && m.room.stage.some((x) => x.user.id === bob.id));
      expect(onStage.type === 'state' && onStage.room.stage.find((x) => x.user.id === bob.id)).toMatchObject({ user: { handle: bob.handle }, role: 'speaker', connected: true });
      expect(anon.messages.some((m) => m.type === 'hands')).toBe(false);
      expect(bobSock.messages.some((m) => m.type === 'hands')).toBe(false);
      expect((await act(host, roomId, { type: 'approveNext' })).body).toMatchObject({ error: { code: 'no_request' } });
    });

    stepped('a speaker muted by the host is told so, and the stage shows it on the next tick', async () => {
      const site = await open();
      const { host, roomId } = await roomWithHost(site);
      const bob = await person(site.url(1), 'bob');
      const listener = await socket(site.url(1), roomId, null);
      await act(host, roomId, { type: 'invite', target: bob.id });
      // bob's socket is on node 2; he accepts through node 1
      const bobSock = await socket(site.url(2), roomId, bob.api);
      await act(bob.api, roomId, { type: 'acceptInvite' });
      await expect.poll(() => connected(site, roomId, bob.id)).toBe(true);
      bobSock.send({ type: 'action', ref: 'u1', action: { type: 'unmute' } });
      await bobSock.waitFor((m) => m.type === 'ack' && m.ref === 'u1');
      await act(host, roomId, { type: 'muteMember', target: bob.id });
      const notice = await bobSock.waitFor((m) => m.type === 'notice' && m.notice === 'mutedByModerator');
      expect(notice.type === 'notice' && notice.by?.id).toBeTruthy();
      await bobSock.waitFor((m) => m.type === 'me' && m.me.mutedBy === 'moderator');
      const from = listener.messages.length;
      await site.tick();
      const shown = await listener.waitFor((m) => m.type === 'state' && m.room.stage.some((x) => x.user.id === bob.id && x.mutedBy === 'moderator'), 3000, from);
      expect(shown.type === 'state' && shown.room.stage.find((x) => x.user.id === bob.id)).toMatchObject({ user: { handle: bob.handle }, muted: true, connected: true });
    });

    stepped('reactions are counted per tick into one message, at most 5 per person per second', async () => {
      const site = await open();
      const { host, roomId } = await roomWithHost(site);
      await act(host, roomId, { type: 'goLive' });
      // the fan reacts through node 1; people watch on every node
      const fan = await person(site.url(1), 'fan');
      const watchers = [await socket(site.url(0), roomId, null), await socket(site.url(1), roomId, null), await socket(site.url(2), roomId, null)];
      for (const w of watchers) await w.waitFor(isState);
      for (let i = 0; i < 8; i++) expect((await act(fan.api, roomId, { type: 'react', reaction: '🔥' })).status).toBe(200);
      const from = watchers.map((w) => w.messages.length);
      // a node shows what another node counted on its tick after the one that counted it
      await site.tick();
      await site.tick();
      for (const [i, w] of watchers.entries()) {
        await w.waitFor((m) => m.type === 'state' && Object.keys(m.reactions).length > 0, 3000, from[i]);
        const withReactions = stateMessages(w, from[i]).filter((m) => Object.keys(m.reactions).length > 0);
        expect(withReactions.map((m) => m.reactions)).toEqual([{ '🔥': 5 }]);
      }
    });

    it('a removed person is closed out with 4011 and cannot come back', SLOW, async () => {
      const site = await open();
      const { host, roomId } = await roomWithHost(site);
      const eve = await person(site.url(1), 'eve');
      const eveSock = await socket(site.url(2), roomId, eve.api);
      await eveSock.waitFor(isState);
      expect((await act(host, roomId, { type: 'remove', target: eve.id, reason: 'spam' })).status).toBe(200);
      await eveSock.waitFor((m) => m.type === 'notice' && m.notice === 'removed');
      expect((await eveSock.waitClosed()).code).toBe(4011);
      for (const i of [0, 1, 2]) {
        const again = await RoomSocket.open(site.url(i), roomId, eve.api.cookie);
        const err = await again.waitFor(isType('error'));
        expect(err.code).toBe('removed_from_room');
        expect((await again.waitClosed()).code).toBe(4403);
      }
    });

    it('ending the room tells everyone and closes their sockets with 4010', SLOW, async () => {
      const site = await open();
      const { host, roomId } = await roomWithHost(site);
      await act(host, roomId, { type: 'goLive' });
      const listeners = [await socket(site.url(0), roomId, null), await socket(site.url(1), roomId, null), await socket(site.url(2), roomId, null)];
      for (const l of listeners) await l.waitFor(isState);
      await act(host, roomId, { type: 'end' });
      for (const l of listeners) {
        await l.waitFor((m) => m.type === 'notice' && m.notice === 'ended');
        expect((await l.waitClosed()).code).toBe(4010);
      }
      for (const i of [0, 1, 2]) {
        const late = await RoomSocket.open(site.url(i), roomId, null);
        expect((await late.waitFor(isType('error'))).code).toBe('room_ended');
      }
    });

    stepped('when the host drops for longer than the grace period, the connected co-host takes over and the room stays live', async () => {
      const site = await open();
      const { host, hostId, roomId } = await roomWithHost(site);
      // the co-host acts through node 2 and keeps their socket on node 1
      const co = await person(site.url(2), 'co');
      await act(host, roomId, { type: 'invite', target: co.id });
      await act(co.api, roomId, { type: 'acceptInvite' });
      await act(host, roomId, { type: 'addCohost', target: co.id });
      await act(host, roomId, { type: 'goLive' });
      const hostSock = await socket(site.url(0), roomId, host);
      const coSock = await socket(site.url(1), roomId, co.api);
      const listener = await socket(site.url(2), roomId, null);
      await coSock.waitFor(isState);
      // presence is applied asynchronously after the socket opens: the heir must be there before the host goes
      await expect.poll(() => connected(site, roomId, co.id)).toBe(true);
      hostSock.close();
      await hostSock.waitClosed();
      // presence is applied asynchronously after the close
      await expect.poll(() => connected(site, roomId, hostId)).toBe(false);
      time.t += 30_000;
      await site.tick();
      expect((await site.store.getRoom(roomId as never))?.hostId).toBe(hostId);
      time.t += 31_000;
      await site.tick();
      const changed = await listener.waitFor((m) => m.type === 'notice' && m.notice === 'hostChanged' && m.by?.id === co.id);
      expect(changed.type === 'notice' && changed.by?.handle).toBe(co.handle);
      await coSock.waitFor((m) => m.type === 'me' && m.me.role === 'host');
      const room = await site.store.getRoom(roomId as never);
      expect(room?.hostId).toBe(co.id);
      expect(room?.status).toBe('live');
      const audit = await through(host, site.url(1)).call<{ entries: Array<{ action: string }> }>('GET', `/api/rooms/${roomId}/audit`);
      expect(audit.body.entries.map((e) => e.action)).toContain('host_taken_over');
    });

    it('a restart loses nothing: accounts, rooms, roles, mute state, pins, blocks and the audit log come back, and the live room carries on', SLOW, async () => {
      const first = await open();
      const { host, hostId, roomId } = await roomWithHost(first);
      const bob = await person(first.url(1), 'bob');
      const troll = await person(first.url(2), 'troll');
      await act(host, roomId, { type: 'invite', target: bob.id });
      await act(bob.api, roomId, { type: 'acceptInvite' });
      await act(bob.api, roomId, { type: 'unmute' });
      await act(host, roomId, { type: 'addCohost', target: bob.id });
      await act(host, roomId, { type: 'pin', url: 'https://example.org/agenda' });
      await act(host, roomId, { type: 'goLive' });
      await host.call('PUT', `/api/users/${troll.handle}/block`);
      const before = await first.store.snapshot();

      const second = await first.restart();
      disposers.push(() => second.close());
      // the host comes back through another node than before
      const again = through(host, second.url(1));
      const me = await again.call<{ user: { id: string } }>('GET', '/api/me');
      expect(me.body.user.id).toBe(hostId);
      const view = await again.call<{ room: { status: string; pins: Array<{ url: string }>; stage: Array<{ user: { id: string }; role: string; muted: boolean }> } }>('GET', `/api/rooms/${roomId}`);
      expect(view.body.room.status).toBe('live');
      expect(view.body.room.pins.map((p) => p.url)).toEqual(['https://example.org/agenda']);
      expect(view.body.room.stage.find((m) => m.user.id === bob.id)).toMatchObject({ role: 'cohost', muted: false });
      expect((await through(troll.api, second.url(2)).call('GET', `/api/rooms/${roomId}`)).status).toBe(403);
      const after = await second.store.snapshot();
      expect(after['audit_log']).toEqual(before['audit_log']);
      expect(after['users']).toEqual(before['users']);
      expect(after['blocks']).toEqual(before['blocks']);
      // the room carries on: the host reconnects (to the origin) and acts
      const sock = await socket(second.url(0), roomId, again);
      await sock.waitFor((m) => m.type === 'me' && m.me.role === 'host');
      expect((await act(again, roomId, { type: 'muteAll' })).status).toBe(200);
    });
  });
}
