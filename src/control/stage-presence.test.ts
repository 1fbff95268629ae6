import { describe, expect, it } from 'vitest';
import { asRoomId, asUserId, type RoomId, type UserId } from '../domain/ids.ts';
import { HOST, newRoom } from '../domain/room-fixtures.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { NodeReport } from '../bus/presence.ts';
import { StagePresence, type StagePresenceDeps } from './stage-presence.ts';

const CO = asUserId('co-1');

/** a room whose host and co-host are shown `connected` as given */
const roomWith = (hostConnected: boolean, coConnected: boolean): RoomState => {
  const base = newRoom();
  const host = base.stage[0];
  if (host === undefined) throw new Error('the fixture has a host');
  return {
    ...base,
    stage: [
      { ...host, connected: hostConnected },
      { ...host, userId: CO, role: 'cohost', connected: coConnected },
    ],
  };
};

const report = (nodeId: string, roomId: RoomId, stage: readonly UserId[]): NodeReport => ({
  nodeId,
  role: 'edge',
  listenOrigin: 'ws://x:1',
  capacity: 10,
  draining: false,
  audio: 0,
  rooms: new Map([[roomId, { listeners: 0, audio: 0, stage }]]),
});

interface World {
  state: RoomState;
  here: Set<UserId>;
  others: NodeReport[];
  leads: boolean;
  t: number;
  acted: string[];
}

const make = (w: World, extra: Partial<StagePresenceDeps> = {}): StagePresence =>
  new StagePresence({
    hub: { isConnected: (_roomId, userId) => w.here.has(userId), openRooms: () => [w.state] },
    others: () => w.others,
    leads: () => w.leads,
    act: async (_roomId, userId, type) => {
      w.acted.push(`${type} ${userId}`);
    },
    onError: (err) => {
      throw err;
    },
    clock: () => w.t,
    ...extra,
  });

const settled = () => new Promise((r) => setImmediate(r));

describe('StagePresence', () => {
  it('a node holding a member’s socket says they are connected when the room shows them away', async () => {
    const w: World = { state: roomWith(true, false), here: new Set([CO]), others: [], leads: false, t: 0, acted: [] };
    const p = make(w);
    p.onBus({ type: 'roomChanged', roomId: w.state.id, state: w.state, version: 2, events: [] });
    // a burst of messages before the answer asks once
    p.onBus({ type: 'roomChanged', roomId: w.state.id, state: w.state, version: 2, events: [] });
    await settled();
    expect(w.acted).toEqual([`connect ${CO}`]);
    // a member shown away whose socket is not here is none of this node's business
    w.here.clear();
    p.onBus({ type: 'roomChanged', roomId: w.state.id, state: w.state, version: 3, events: [] });
    await settled();
    expect(w.acted).toEqual([`connect ${CO}`]);
  });

  it('the origin marks away a member no node holds, once they are missing 3 s in a row, not before', async () => {
    const w: World = { state: roomWith(true, true), here: new Set([HOST]), others: [], leads: true, t: 1_000, acted: [] };
    const p = make(w);
    p.check();
    w.t += 2_000;
    p.check();
    expect(w.acted).toEqual([]);
    w.t += 1_000;
    p.check();
    await settled();
    expect(w.acted).toEqual([`disconnect ${CO}`]);
  });

  it('keeps a member whose socket another node reports holding, and starts counting over when one is found again', async () => {
    const w: World = { state: roomWith(true, true), here: new Set([HOST]), others: [report('edge-1', asRoomId('elsewhere'), [CO])], leads: true, t: 0, acted: [] };
    const p = make(w);
    p.check();
    w.t += 2_500;
    // edge 1's report now names them in this room: found
    w.others = [report('edge-1', w.state.id, [CO])];
    p.check();
    w.others = [];
    w.t += 2_500;
    p.check();
    w.t += 2_500;
    p.check();
    await settled();
    expect(w.acted).toEqual([]);
    w.t += 500;
    p.check();
    await settled();
    expect(w.acted).toEqual([`disconnect ${CO}`]);
  });

  it('leaves rooms another node leads to that node', async () => {
    const w: World = { state: roomWith(false, true), here: new Set(), others: [], leads: false, t: 0, acted: [] };
    const p = make(w);
    p.check();
    w.t += 10_000;
    p.check();
    await settled();
    expect(w.acted).toEqual([]);
  });
});
