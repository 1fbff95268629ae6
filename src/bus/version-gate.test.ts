import { describe, expect, it } from 'vitest';
import { asRoomId } from '../domain/ids.ts';
import { newRoom } from '../domain/room-fixtures.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { BusMessage, RoomStateMessage } from './types.ts';
import { VersionGate } from './version-gate.ts';

const R = asRoomId('r_1');
const roomState = (id: RoomState['id']): RoomState => ({ ...newRoom(), id });
const msg = (version: number, status: 'live' | 'ended' = 'live'): RoomStateMessage => ({ type: 'roomChanged', roomId: R, state: { ...roomState(R), status }, version, events: [] });

describe('VersionGate', () => {
  it('lets newer and equal versions through and drops older ones (a late message never overwrites newer state)', () => {
    const g = new VersionGate();
    expect(g.admit(msg(3), 0)).toBe(true);
    expect(g.admit(msg(5), 0)).toBe(true);
    expect(g.admit(msg(4), 0)).toBe(false);
    expect(g.admit(msg(5), 0)).toBe(true); // events at the same version (no write) still pass
    expect(g.dropped).toBe(1);
  });

  it('keeps each room apart', () => {
    const g = new VersionGate();
    g.admit(msg(9), 0);
    const other: RoomStateMessage = { ...msg(1), roomId: asRoomId('r_2'), state: roomState(asRoomId('r_2')) };
    expect(g.admit(other, 0)).toBe(true);
  });

  it('still drops a late message about a room that just ended, and forgets ended rooms after ten minutes', () => {
    const g = new VersionGate();
    g.admit(msg(7, 'ended'), 0);
    expect(g.admit(msg(6), 60_000)).toBe(false);
    g.admit({ ...msg(1), roomId: asRoomId('r_3'), state: roomState(asRoomId('r_3')) }, 11 * 60_000);
    expect(g.admit(msg(2), 11 * 60_000)).toBe(true);
  });

  it('lets a change of the hand queue through whatever the room’s version: its own seq orders it', () => {
    const g = new VersionGate();
    g.admit(msg(9), 0);
    const hands: BusMessage = { type: 'handsChanged', roomId: R, change: { added: [], removed: [], count: 0, seq: 1 }, names: [] };
    expect(g.admit(hands, 0)).toBe(true);
    expect(g.admit(msg(8), 0)).toBe(false);
  });
});
