import { describe, expect, it } from 'vitest';
import { LISTENER, newRoom } from '../domain/room-fixtures.ts';
import type { RoomId } from '../domain/ids.ts';
import type { Store } from '../store/types.ts';
import { RoomHub, type RoomConnection } from './room-hub.ts';
import { UserDirectory } from './user-directory.ts';
import { QUIET_STAGE } from '../protocol/api-views.ts';

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
