/**
 * A listening page needs one socket: its audio socket carries the room too (docs/protocol.md §2, type 3),
 * on both listener socket libraries. A joiner gets the room as it is, then ticks (count, reactions,
 * speaking) in a few dozen bytes and the whole state only when the room's view changed; every listener
 * gets the same bytes; a signed-in listener gets their own place and notices on it (an invitation to
 * speak), and their hand raised over HTTP shows in their place; the count shown is the audio sockets'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { ProgramListener } from './support/program-listener.ts';

type RoomMsg = ProgramListener['roomMessages'][number];

const until = async (what: string, pass: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!pass()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** the count a room message shows: a tick's, or the state's room view's */
const countIn = (m: RoomMsg): number | undefined => (m.type === 'tick' ? (m['listeners'] as number) : m.type === 'state' ? roomOf(m).listenerCount : undefined);

const roomOf = (m: RoomMsg): { title: string; listenerCount: number } => m['room'] as { title: string; listenerCount: number };

describe.each(['uws', 'ws'] as const)('the room on the audio socket (%s listener sockets)', (sockets) => {
  let server: TestServer;
  let host: ApiClient;
  const open: ProgramListener[] = [];

  beforeAll(async () => {
    server = await startTestServer({ autoTick: true, env: { AMPHI_LISTENER_SOCKETS: sockets, AMPHI_TICK_MS: '100' } });
    host = new ApiClient(server.url);
    await host.signUp(`feed_host_${sockets}`);
  });
  afterAll(async () => {
    for (const l of open) l.ws.close();
    await server.dispose();
  });

  async function liveRoom(title: string): Promise<string> {
    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title })).body.room.id;
    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' })).status).toBe(200);
    return roomId;
  }

  async function listen(roomId: string, cookie: string | null): Promise<ProgramListener> {
    const l = await ProgramListener.open(server.url, roomId, cookie);
    open.push(l);
    return l;
  }

  it('sends a joiner the room first, then ticks with the count of audio sockets, and the whole state only when the view changed', async () => {
    const roomId = await liveRoom('One socket night');
    const a = await listen(roomId, null);
    await until('the first room message', () => a.roomMessages.length > 0);
    const first = a.roomMessages[0] as RoomMsg;
    expect(first.type).toBe('state');
    expect(roomOf(first).title).toBe('One socket night');
    // the stream state comes before anything else, as it always did
    expect(a.states[0]).toBeDefined();

    const b = await listen(roomId, null);
    await until('a count of two', () => a.roomMessages.some((m) => countIn(m) === 2));
    const view = await host.call<{ room: { listenerCount: number } }>('GET', `/api/rooms/${roomId}`);
    expect(view.body.room.listenerCount).toBe(2);
    const statesBefore = a.roomMessages.filter((m) => m.type === 'state').length;
    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'pin', url: 'https://example.org/agenda' })).status).toBe(200);
    await until('a state after the pin', () => a.roomMessages.filter((m) => m.type === 'state').length > statesBefore);
    await until('b heard the pin', () => b.roomMessages.some((m) => m.type === 'state' && JSON.stringify(m).includes('example.org/agenda')));

    b.ws.close();
    await until('a count of one again', () => countIn(a.roomMessages.at(-1) ?? first) === 1);
  });

  it('tells everyone of a reaction sent over HTTP, in one tick, with the same bytes for all', async () => {
    const roomId = await liveRoom('Reactions night');
    const fan = new ApiClient(server.url);
    await fan.signUp(`feed_fan_${sockets}`);
    const a = await listen(roomId, null);
    const b = await listen(roomId, null);
    await until('both in the room', () => a.roomMessages.length > 0 && b.roomMessages.length > 0);
    // the room's own changes (going live) have gone out once both are counted: a clap now changes nothing but the reactions
    await until('both counted', () => a.roomMessages.some((m) => countIn(m) === 2));
    expect((await fan.call('POST', `/api/rooms/${roomId}/actions`, { type: 'react', reaction: '👏' })).status).toBe(200);
    const clapped = (m: RoomMsg) => (m['reactions'] as Record<string, number> | undefined)?.['👏'] === 1;
    await until('the clap on a', () => a.roomMessages.some(clapped));
    await until('the clap on b', () => b.roomMessages.some(clapped));
    expect(JSON.stringify(a.roomMessages.find(clapped))).toBe(JSON.stringify(b.roomMessages.find(clapped)));
    // the room's view did not change: a tick, which carries no room view (the count, reactions and speaking only)
    const tick = a.roomMessages.find(clapped) as RoomMsg;
    expect(tick.type).toBe('tick');
    expect(Object.keys(tick).sort()).toEqual(['listeners', 'reactions', 'speaking', 'type']);
    expect(tick['listeners']).toBe(2);
  });

  it("gives a signed-in listener their own place and notices on the same socket, and nobody else's", async () => {
    const roomId = await liveRoom('Invitations night');
    const guest = new ApiClient(server.url);
    const guestId = await guest.signUp(`feed_guest_${sockets}`);
    const g = await listen(roomId, guest.cookie);
    const other = await listen(roomId, null);
    await until("the guest's place", () => g.roomMessages.some((m) => m.type === 'me'));
    const me = (g.roomMessages.find((m) => m.type === 'me') as RoomMsg)['me'] as { role: string; signedIn: boolean; handRaised: boolean };
    expect(me).toMatchObject({ role: 'listener', signedIn: true, handRaised: false });

    expect((await guest.call('POST', `/api/rooms/${roomId}/actions`, { type: 'requestToSpeak' })).status).toBe(200);
    await until('the raised hand in their place', () => g.roomMessages.some((m) => m.type === 'me' && (m['me'] as { handRaised: boolean }).handRaised));

    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'invite', target: guestId })).status).toBe(200);
    await until('the invitation notice', () => g.roomMessages.some((m) => m.type === 'notice' && m['notice'] === 'invited'));
    await until('invited in their place', () => g.roomMessages.some((m) => m.type === 'me' && (m['me'] as { invited: boolean }).invited));
    // private: the signed-out listener beside them heard none of it
    expect(other.roomMessages.filter((m) => m.type === 'me' || m.type === 'notice')).toEqual([]);
  });
});
