import { describe, expect, it } from 'vitest';
import { LISTENER, newRoom } from '../domain/room-fixtures.ts';
import type { RoomId } from '../domain/ids.ts';
import type { Store } from '../store/types.ts';
import { AUDIENCE_COUNT_TICKS, RoomHub, type RoomConnection } from './room-hub.ts';
import { UserDirectory } from './user-directory.ts';
import { QUIET_STAGE } from '../protocol/api-views.ts';
import type { RoomSound } from '../bus/media-router.ts';
import { asUserId } from '../domain/ids.ts';

const users = new UserDirectory({} as Store);
const conn = (sent: string[], userId: RoomConnection['userId'] = null): RoomConnection => ({
  userId,
  send: (t) => sent.push(typeof t === 'string' ? t : Buffer.from(t).toString()),
  close: () => undefined,
});
const countIn = (text: string | undefined): number => (JSON.parse(text ?? '{}') as { room: { listenerCount: number } }).room.listenerCount;

describe('RoomHub listener counts', () => {
  it('on a single node counts this node’s people off the stage, as always', () => {
    const hub = new RoomHub(users);
    const state = newRoom();
    hub.track(state);
    hub.attach(state.id, conn([], LISTENER));
    hub.attach(state.id, conn([]));
    expect(hub.listenerCount(state.id)).toBe(2);
    expect(hub.listenersHere(state.id)).toBe(2);
  });

  it('shows the room’s count across the cluster and reports only its own people as here', () => {
    const elsewhere = new Map<RoomId, number>();
    const hub = new RoomHub(users, (id) => elsewhere.get(id) ?? 0);
    const state = newRoom();
    hub.track(state);
    elsewhere.set(state.id, 40);
    hub.attach(state.id, conn([]));
    expect(hub.listenerCount(state.id)).toBe(41);
    expect(hub.listenersHere(state.id)).toBe(1);
  });

  it('sends the room again on the next tick when only the other nodes’ count moved', () => {
    const elsewhere = { n: 0 };
    const hub = new RoomHub(users, () => elsewhere.n);
    const state = newRoom();
    hub.track(state);
    const sent: string[] = [];
    hub.attach(state.id, conn(sent));
    // the same sound object each tick, as the media side gives while nobody starts or stops talking
    const nobody = { speaking: [], sound: QUIET_STAGE };
    hub.flush(() => nobody);
    const before = sent.length;
    hub.flush(() => nobody);
    expect(sent).toHaveLength(before);
    elsewhere.n = 12;
    hub.flush(() => nobody);
    expect(sent).toHaveLength(before + 1);
    expect(countIn(sent.at(-1))).toBe(13);
  });
});

describe('RoomHub and the audience on its audio sockets', () => {
  function setup() {
    const published: Array<{ type: string; [k: string]: unknown }> = [];
    const audio = { n: 0 };
    const hub = new RoomHub(users);
    hub.useAudience({ listeners: () => audio.n, publish: (_id, json) => published.push(JSON.parse(json) as { type: string }) });
    const state = newRoom();
    hub.track(state);
    const quiet: RoomSound = { speaking: [], sound: QUIET_STAGE };
    // the media side hands the same object while the stage sounds the same
    const sounds = new Map<readonly string[], RoomSound>();
    const tick = (speaking: readonly string[] = quiet.speaking) => {
      const sound = sounds.get(speaking) ?? { speaking: speaking.map(asUserId), sound: QUIET_STAGE };
      sounds.set(speaking, sound);
      hub.flush(() => (speaking === quiet.speaking ? quiet : sound));
    };
    return { hub, state, audio, published, tick };
  }

  it('counts the audio sockets as listeners beside the control connections off the stage', () => {
    const { hub, state, audio } = setup();
    audio.n = 5;
    hub.attach(state.id, conn([]));
    expect(hub.listenersHere(state.id)).toBe(6);
  });

  it('publishes the whole state when the view changed, a tick for reactions and rings, and a count alone at most every AUDIENCE_COUNT_TICKS ticks', () => {
    const { hub, state, audio, published, tick } = setup();
    tick();
    expect(published.map((m) => m.type)).toEqual(['state']);
    hub.countReaction(state.id, '👏');
    tick();
    expect(published.at(-1)).toMatchObject({ type: 'tick', reactions: { '👏': 1 } });
    // the media side hands the same array while nobody starts or stops talking
    const still: string[] = ['u1'];
    tick(still);
    expect(published.at(-1)).toMatchObject({ type: 'tick', speaking: ['u1'] });
    const n = published.length;
    tick(still);
    expect(published).toHaveLength(n);
    // the count alone moves on every tick of a busy room; the audience hears it once per AUDIENCE_COUNT_TICKS
    for (let i = 1; i <= AUDIENCE_COUNT_TICKS * 2; i++) {
      audio.n = i;
      tick(still);
    }
    const counts = published.slice(n);
    expect(counts.length).toBeGreaterThanOrEqual(1);
    expect(counts.length).toBeLessThanOrEqual(2);
    for (const m of counts) expect(m.type).toBe('tick');
    // a quiet room's last count still arrives, late
    for (let i = 0; i < AUDIENCE_COUNT_TICKS; i++) tick(still);
    expect(published.at(-1)).toMatchObject({ type: 'tick', listeners: AUDIENCE_COUNT_TICKS * 2 });
  });

  it("sends a signed-in listener's own place to their audio socket only, never the room-wide messages", () => {
    const { hub, state, published, tick } = setup();
    const mine: string[] = [];
    const forget = hub.attachFeed(state.id, LISTENER, conn(mine, LISTENER));
    expect(mine.map((t) => (JSON.parse(t) as { type: string }).type)).toEqual(['me']);
    expect(hub.isConnected(state.id, LISTENER)).toBe(true);
    tick();
    expect(mine).toHaveLength(1);
    expect(published.length).toBeGreaterThan(0);
    hub.sendTo(state.id, LISTENER, { type: 'notice', notice: 'invited', by: null });
    expect(JSON.parse(mine.at(-1) ?? '{}')).toMatchObject({ type: 'notice', notice: 'invited' });
    forget();
    expect(hub.isConnected(state.id, LISTENER)).toBe(false);
  });
});

describe('RoomHub reactions across nodes', () => {
  const reactionsIn = (text: string | undefined): Record<string, number> => (JSON.parse(text ?? '{}') as { reactions: Record<string, number> }).reactions;
  const nobody: RoomSound = { speaking: [], sound: QUIET_STAGE };

  it('shows this node’s and the other nodes’ reactions in one tick, and shares only its own, once per tick', () => {
    const shared: Array<ReadonlyMap<RoomId, Readonly<Record<string, number>>>> = [];
    const hub = new RoomHub(users, () => 0, (counts) => shared.push(counts));
    const state = newRoom();
    hub.track(state);
    const sent: string[] = [];
    hub.attach(state.id, conn(sent));
    hub.flush(() => nobody);
    expect(shared).toEqual([]);
    hub.countReaction(state.id, '🔥');
    hub.countReaction(state.id, '🔥');
    hub.addReactions(state.id, { '🔥': 3, '👏': 1 });
    const before = sent.length;
    hub.flush(() => nobody);
    expect(sent).toHaveLength(before + 1);
    expect(reactionsIn(sent.at(-1))).toEqual({ '🔥': 5, '👏': 1 });
    expect(shared).toEqual([new Map([[state.id, { '🔥': 2 }]])]);
    // the next tick has nothing new: nothing sent, nothing shared
    hub.flush(() => nobody);
    expect(sent).toHaveLength(before + 1);
    expect(shared).toHaveLength(1);
  });

  it('sends a tick for reactions only the other nodes counted, and shares nothing then', () => {
    const shared: unknown[] = [];
    const hub = new RoomHub(users, () => 0, (counts) => shared.push(counts));
    const state = newRoom();
    hub.track(state);
    const sent: string[] = [];
    hub.attach(state.id, conn(sent));
    hub.flush(() => nobody);
    const before = sent.length;
    hub.addReactions(state.id, { '❤️': 4 });
    hub.flush(() => nobody);
    expect(sent).toHaveLength(before + 1);
    expect(reactionsIn(sent.at(-1))).toEqual({ '❤️': 4 });
    expect(shared).toEqual([]);
  });
});

describe('RoomHub removal', () => {
  const closing = (sent: string[], closed: number[], userId: RoomConnection['userId']): RoomConnection => ({
    userId,
    send: (t) => sent.push(typeof t === 'string' ? t : Buffer.from(t).toString()),
    close: (code) => closed.push(code),
  });
  const notices = (sent: string[]): string[] => sent.map((t) => JSON.parse(t) as { type: string; notice?: string }).flatMap((m) => (m.type === 'notice' && m.notice !== undefined ? [m.notice] : []));

  it('tells a removed person why before their socket closes, once, when the revocation comes before the room’s event (another node removed them)', () => {
    const hub = new RoomHub(users);
    const state = newRoom();
    hub.track(state);
    const sent: string[] = [];
    const closed: number[] = [];
    hub.attach(state.id, closing(sent, closed, LISTENER));
    hub.revoke({ roomId: state.id, userId: LISTENER, at: 0, cause: 'removed' });
    expect(notices(sent)).toEqual(['removed']);
    expect(closed).toEqual([4011]);
    hub.onBus({ type: 'roomChanged', roomId: state.id, state: { ...state, removed: [LISTENER] }, version: 2, events: [{ type: 'removed', userId: LISTENER }] });
    expect(notices(sent)).toEqual(['removed']);
  });

  it('tells them once when the event comes first, as on the remover’s own node', () => {
    const hub = new RoomHub(users);
    const state = newRoom();
    hub.track(state);
    const sent: string[] = [];
    const closed: number[] = [];
    hub.attach(state.id, closing(sent, closed, LISTENER));
    hub.onBus({ type: 'roomChanged', roomId: state.id, state: { ...state, removed: [LISTENER] }, version: 2, events: [{ type: 'removed', userId: LISTENER }] });
    hub.revoke({ roomId: state.id, userId: LISTENER, at: 0, cause: 'removed' });
    expect(notices(sent)).toEqual(['removed']);
    expect(closed).toEqual([4011]);
  });
});
