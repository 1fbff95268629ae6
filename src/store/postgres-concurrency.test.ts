/**
 * @module store/postgres-concurrency.test — twenty hosts' clicks at once on PostgreSQL: a live room
 * with 9 speakers and 20 raised hands (rows outside the state: the context says they are up) gets 20 simultaneous approvals through mutateRoom, spread over 4
 * Store instances (as if 4 nodes) with pools of 5 connections, each decided by the real rules. The
 * room row lock must let exactly one through and turn the other 19 away with stage_full, leaving
 * exactly 10 speakers stored.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Decision } from '../domain/decision.ts';
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { UserId } from '../domain/ids.ts';
import type { Actor, RoomAction, RoomContext } from '../domain/room-actions.ts';
import { createRoomState } from '../domain/room-create.ts';
import { decide } from '../domain/room-rules.ts';
import type { RoomState } from '../domain/room-state.ts';
import { dropSchemas, PG_TEST_URL, postgresForTests, testSchemaName } from './pg-availability.test-helper.ts';
import { openPostgresStore } from './postgres.ts';
import type { Mutation, Store } from './types.ts';

const up = await postgresForTests();
const schema = testSchemaName('concurrency');
afterAll(() => dropSchemas(PG_TEST_URL, [schema]));

const T0 = 1_767_225_600_000;
const HOST = asUserId('host');
/** every hand the test asks about is up: the queue is rows, and this test is about the stage's one free seat */
const ctxAt = (now: number): RoomContext => ({ now, followedByHost: () => false, blockedByHost: () => false, hasConnection: () => true, handRaised: () => true });
const user = (userId: UserId): Actor => ({ kind: 'user', userId });

/** Applies an action the test expects to be accepted, as the control layer would before storing. */
function apply(state: RoomState, actor: Actor, action: RoomAction, now: number): RoomState {
  const d = decide(state, actor, action, ctxAt(now));
  if (!d.ok) throw new Error(`setup: ${action.type} refused: ${d.rejection.code}`);
  return d.state;
}

/** A Decision as a Mutation: accepted decisions write, refusals leave the room alone. */
const asMutation = (d: Decision): Mutation<Decision> =>
  d.ok ? { write: true, state: d.state, audit: d.audit, result: d } : { write: false, result: d };

function busyRoom(): RoomState {
  const created = createRoomState(
    { id: asRoomId('r_busy'), hostId: HOST, title: 'Launch night', topics: [], description: '', speakerPolicy: 'everyone' },
    T0,
  );
  if (!created.ok) throw new Error(`setup: createRoomState refused: ${created.rejection.code}`);
  let state = apply(created.state, user(HOST), { type: 'goLive' }, T0 + 1);
  let now = T0 + 10;
  for (let i = 0; i < 9; i += 1) {
    const speaker = asUserId(`speaker_${i}`);
    state = apply(state, user(HOST), { type: 'approveRequest', target: speaker }, (now += 1));
  }
  return state;
}

const speakers = (s: RoomState) => s.stage.filter((m) => m.role === 'speaker').length;

describe.skipIf(!up)('mutateRoom on PostgreSQL under concurrent approvals', () => {
  it('lets exactly one of 20 simultaneous approvals onto a stage with one free seat', async () => {
    const stores: Store[] = [];
    try {
      for (let i = 0; i < 4; i += 1) stores.push(await openPostgresStore(PG_TEST_URL, { schema, maxConnections: 5 }));
      const room = busyRoom();
      expect(speakers(room)).toBe(9);
      const askers = Array.from({ length: 20 }, (_, i) => asUserId(`asker_${i}`));
      await stores[0]!.createRoom(room, []);

      const now = T0 + 10_000;
      const outcomes = await Promise.all(
        askers.map((asker, i) =>
          stores[i % stores.length]!.mutateRoom(room.id, (state) =>
            asMutation(decide(state, user(HOST), { type: 'approveRequest', target: asker }, ctxAt(now))),
          ),
        ),
      );

      const results = outcomes.map((o) => {
        if (o === null) throw new Error('the room vanished');
        return o.result;
      });
      const accepted = results.filter((d) => d.ok);
      const refusals = results.flatMap((d) => (d.ok ? [] : [d.rejection.code]));
      expect(accepted).toHaveLength(1);
      expect(refusals).toEqual(Array.from({ length: 19 }, () => 'stage_full'));

      const stored = await stores[1]!.getRoom(room.id);
      expect(stored).not.toBeNull();
      expect(speakers(stored!)).toBe(10);
      const audit = await stores[2]!.listAudit(room.id, 100);
      expect(audit.map((a) => a.action)).toEqual(['request_approved']);
      expect(stored!.stage.some((m) => m.userId === audit[0]!.target && m.role === 'speaker')).toBe(true);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
