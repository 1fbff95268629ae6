import { describe, expect, it } from 'vitest';
import { asRoomId, type RoomId } from '../domain/ids.ts';
import type { NodeReport, RoomCounts } from '../bus/presence.ts';
import { LocalPresence } from '../bus/presence-local.ts';
import type { EdgeLoad } from './edge-choice.ts';
import { EdgeRouter } from './edge-router.ts';

const ROOM = asRoomId('room');
const report = (nodeId: string, audio: number, rooms: ReadonlyArray<readonly [RoomId, RoomCounts]> = [], capacity = 100): NodeReport => ({
  nodeId,
  role: 'edge',
  listenOrigin: `ws://${nodeId}:8081`,
  capacity,
  draining: false,
  audio,
  rooms: new Map(rooms),
});
const me = (audio: number, roomAudio = 0): ((roomId: RoomId) => EdgeLoad) => () => ({ nodeId: 'me', role: 'edge', capacity: 100, draining: false, audio, roomAudio });
const routerOver = (reports: () => readonly NodeReport[], here = me(50)): EdgeRouter => new EdgeRouter({ presence: { others: reports }, here });

describe('EdgeRouter', () => {
  it('on a single node names nobody else: the ticket keeps this node’s own address, as before', () => {
    let asked = false;
    const r = new EdgeRouter({ presence: new LocalPresence(), here: () => ((asked = true), me(100)(ROOM)) });
    expect(r.edgeFor(ROOM)).toBeNull();
    // nothing to weigh: this node's counts are not even read
    expect(asked).toBe(false);
  });

  it('names the listen origin of the edge already serving the room', () => {
    const r = routerOver(() => [report('a', 10), report('b', 60, [[ROOM, { listeners: 9, audio: 9 }]])]);
    expect(r.edgeFor(ROOM)).toBe('ws://b:8081');
  });

  it('answers null when this node is the best place, or when no edge has room', () => {
    expect(routerOver(() => [report('a', 80)], me(20)).edgeFor(ROOM)).toBeNull();
    expect(routerOver(() => [report('a', 100)], me(100)).edgeFor(ROOM)).toBeNull();
  });

  it('counts the tickets it sent to an edge since its report, so a storm spreads over the edges', () => {
    const reports = [report('a', 0, [], 1000), report('b', 0, [], 1000)];
    const r = routerOver(() => reports, me(1000, 0));
    const sent = Array.from({ length: 10 }, () => r.edgeFor(asRoomId(`r${Math.random()}`)));
    expect(sent.filter((o) => o === 'ws://a:8081')).toHaveLength(5);
    expect(sent.filter((o) => o === 'ws://b:8081')).toHaveLength(5);
  });

  it('keeps a room together: once it sent the room’s first listener to an edge, that edge serves it', () => {
    const reports = [report('a', 0), report('b', 0)];
    const r = routerOver(() => reports, me(100));
    expect(r.edgeFor(ROOM)).toBe('ws://a:8081');
    expect(r.edgeFor(ROOM)).toBe('ws://a:8081');
    expect(r.edgeFor(asRoomId('other'))).toBe('ws://b:8081');
  });

  it('sends nobody to an edge that reports it is draining, and from a draining node sends everyone away', () => {
    const leaving = { ...report('leaving', 0, [[ROOM, { listeners: 1, audio: 1 }]]), draining: true };
    expect(routerOver(() => [leaving, report('a', 70)], me(100)).edgeFor(ROOM)).toBe('ws://a:8081');
    const here = (): EdgeLoad => ({ ...me(0, 5)(ROOM), draining: true });
    expect(new EdgeRouter({ presence: { others: () => [report('a', 70)] }, here }).edgeFor(ROOM)).toBe('ws://a:8081');
  });

  it('forgets what it sent once the edge reports again (the report counts those listeners itself)', () => {
    let reports = [report('a', 98), report('b', 99)];
    const r = routerOver(() => reports, me(100));
    expect(r.edgeFor(ROOM)).toBe('ws://a:8081');
    expect(r.edgeFor(ROOM)).toBe('ws://a:8081');
    // a is full by its own count plus two sent; its next report says 98 again (those two never came)
    expect(r.edgeFor(ROOM)).toBe('ws://b:8081');
    reports = [report('a', 98), report('b', 100)];
    expect(r.edgeFor(ROOM)).toBe('ws://a:8081');
  });
});
