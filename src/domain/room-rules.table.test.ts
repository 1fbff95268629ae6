/**
 * @module room-rules.table.test — every action by every role in every lifecycle state, one `it` per row,
 * against the hand-written expectations in room-rules.table.data.ts. A rejected row must also leave the
 * state untouched. For tests only.
 */
import { describe, expect, it } from 'vitest';
import { standardCtx, standardRoom, T0 } from './room-fixtures.ts';
import { decide } from './room-rules.ts';
import type { RoomActionType } from './room-actions.ts';
import type { RoomStatus } from './room-state.ts';
import { ACTIONS, EXPECTED, ROLES } from './room-rules.table.data.ts';
import { EXPECTED_SCHEDULED } from './room-rules.table.scheduled.ts';
import type { Outcome, RoleName } from './room-rules.table.data.ts';

interface Row {
  readonly status: RoomStatus;
  readonly action: RoomActionType;
  readonly role: RoleName;
  readonly expected: Outcome;
}

const actionTypes = Object.keys(ACTIONS) as RoomActionType[];
const roleNames = Object.keys(ROLES) as RoleName[];

const rows: Row[] = [];
for (const action of actionTypes) {
  for (const role of roleNames) {
    const cell = EXPECTED[action][role];
    const [backstage, live] = typeof cell === 'string' ? [cell, cell] : cell;
    rows.push({ status: 'scheduled', action, role, expected: EXPECTED_SCHEDULED[action][role] });
    rows.push({ status: 'backstage', action, role, expected: backstage });
    rows.push({ status: 'live', action, role, expected: live });
    rows.push({ status: 'ended', action, role, expected: 'room_ended' });
  }
}

const rooms = {
  scheduled: standardRoom('scheduled'),
  backstage: standardRoom('backstage'),
  live: standardRoom('live'),
  ended: standardRoom('ended'),
} as const;

describe('every action by every role in every lifecycle state', () => {
  it('covers all 33 actions and 10 roles in 4 states', () => {
    expect(rows).toHaveLength(33 * 10 * 4);
  });

  it.each(rows)('$action by $role in a $status room: $expected', ({ status, action, role, expected }) => {
    const before = rooms[status];
    const snapshot = structuredClone(before);
    const d = decide(before, ROLES[role], ACTIONS[action], standardCtx(status, T0 + 10_000));
    expect(d.ok ? 'ok' : d.rejection.code).toBe(expected);
    // No decision, accepted or not, may mutate the state it was given.
    expect(before).toEqual(snapshot);
  });
});
