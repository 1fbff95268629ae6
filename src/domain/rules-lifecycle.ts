/**
 * @module rules-lifecycle — joining, the room's details, and backstage → live → ended. Called by
 * room-rules.ts after the common checks (ended, removed, signed in, blocked, authority) passed, so each
 * function checks only what is particular to its action. Pure; never reads a clock.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import type { RoomAction, RoomContext } from './room-actions.ts';
import { validateDetails } from './room-details.ts';
import type { RoomState } from './room-state.ts';
import { accepted, audit, refused, unchanged } from './rules-common.ts';
import { soundGuardOf } from './room-queries.ts';

type ActionOf<T extends RoomAction['type']> = Extract<RoomAction, { type: T }>;

/** Listening changes nothing in the state: the audience is a count kept outside it. */
export const join = (state: RoomState): Decision => unchanged(state);

export function updateDetails(
  state: RoomState,
  by: UserId,
  action: ActionOf<'updateDetails'>,
  ctx: RoomContext,
): Decision {
  const v = validateDetails(action);
  if (!v.ok) return { ok: false, rejection: v.rejection };
  const next = {
    title: v.value.title ?? state.title,
    topics: v.value.topics ?? state.topics,
    description: v.value.description ?? state.description,
    speakerPolicy: action.speakerPolicy ?? state.speakerPolicy,
    soundGuard: { ...soundGuardOf(state), ...action.soundGuard },
  };
  const guard = soundGuardOf(state);
  const same =
    next.soundGuard.autoMuteNoisy === guard.autoMuteNoisy &&
    next.soundGuard.echo === guard.echo &&
    next.title === state.title &&
    next.description === state.description &&
    next.speakerPolicy === state.speakerPolicy &&
    next.topics.length === state.topics.length &&
    next.topics.every((t, i) => t === state.topics[i]);
  if (same) return unchanged(state);
  // Pending hand raises survive a switch to 'invited': the host may still approve them, nobody may add one.
  return accepted({ ...state, ...next }, [{ type: 'detailsChanged' }], [audit(by, 'details_updated', null, ctx.now)]);
}

export function goLive(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  if (state.status === 'live') return refused('already_live', 'The room is already live.');
  return accepted(
    { ...state, status: 'live', liveAt: ctx.now },
    [{ type: 'statusChanged', status: 'live' }],
    [audit(by, 'went_live', null, ctx.now)],
  );
}

/** Ending is allowed backstage too: a host may call off a room that never went live. */
export function end(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  return accepted(
    { ...state, status: 'ended', endedAt: ctx.now, endReason: 'host_ended' },
    [{ type: 'statusChanged', status: 'ended' }],
    [audit(by, 'ended', null, ctx.now)],
  );
}
