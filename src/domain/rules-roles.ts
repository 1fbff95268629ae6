/**
 * @module rules-roles — leaving the stage and changing roles on it: step down, move to the audience,
 * add or remove a co-host, hand the host role over. Called by room-rules.ts after the common checks
 * passed (authority included). Every accepted change writes one audit entry. Pure; never reads a clock.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import type { RoomContext } from './room-actions.ts';
import { cohostCount, speakerCount, stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';
import { accepted, audit, refused } from './rules-common.ts';
import { changeRole, swapHost, withoutMember } from './stage-edit.ts';

export function stepDown(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  const me = stageMember(state, by);
  if (me === undefined) return refused('not_on_stage', 'You are not on the stage.');
  if (me.role === 'host') {
    return refused('host_cannot_step_down', 'Hand the room over to a co-host before you leave the stage.');
  }
  return accepted(
    { ...state, stage: withoutMember(state.stage, by) },
    [{ type: 'stageChanged' }],
    [audit(by, 'stepped_down', by, ctx.now)],
  );
}

/**
 * Who may act on whom, for moving to the audience, muting and removing: nobody targets the host; a
 * co-host acts on speakers and listeners only; the host acts on everyone else.
 */
export function moderationRefusal(state: RoomState, by: UserId, target: UserId): Decision | null {
  if (target === state.hostId) return refused('cannot_moderate_host', 'Nobody can do that to the host.');
  if (stageMember(state, target)?.role === 'cohost' && stageMember(state, by)?.role !== 'host') {
    return refused('cannot_moderate_cohost', 'Only the host can do that to a co-host.');
  }
  return null;
}

export function moveToAudience(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (target === by) return refused('cannot_target_self', 'Use "step down" to leave the stage yourself.');
  if (stageMember(state, target) === undefined) return refused('not_on_stage', 'That person is not on the stage.');
  const notAllowed = moderationRefusal(state, by, target);
  if (notAllowed !== null) return notAllowed;
  return accepted(
    { ...state, stage: withoutMember(state.stage, target) },
    [{ type: 'stageChanged' }],
    [audit(by, 'moved_to_audience', target, ctx.now)],
  );
}

export function addCohost(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (target === by) return refused('cannot_target_self', 'You are already the host.');
  const member = stageMember(state, target);
  if (member === undefined) return refused('not_on_stage', 'Only a speaker on the stage can become a co-host.');
  if (member.role === 'cohost') return refused('already_cohost', 'That person is already a co-host.');
  if (cohostCount(state) >= LIMITS.cohosts) {
    return refused('cohosts_full', `A room has at most ${LIMITS.cohosts} co-hosts.`);
  }
  return accepted(
    { ...state, stage: changeRole(state.stage, target, 'cohost', ctx.now) },
    [{ type: 'stageChanged' }],
    [audit(by, 'cohost_added', target, ctx.now)],
  );
}

/** The co-host becomes a speaker again, or, if every speaker seat is taken, goes back to the audience. */
export function removeCohost(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (stageMember(state, target)?.role !== 'cohost') return refused('not_a_cohost', 'That person is not a co-host.');
  const stage =
    speakerCount(state) >= LIMITS.speakers
      ? withoutMember(state.stage, target)
      : changeRole(state.stage, target, 'speaker', ctx.now);
  return accepted({ ...state, stage }, [{ type: 'stageChanged' }], [audit(by, 'cohost_removed', target, ctx.now)]);
}

/** A swap: the co-host becomes host and the old host a co-host, so nobody leaves and no seat is needed. */
export function handOver(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (stageMember(state, target)?.role !== 'cohost') {
    return refused('not_a_cohost', 'The room can be handed only to a co-host.');
  }
  return accepted(
    swapHost(state, target, ctx.now),
    [{ type: 'hostChanged', from: by, to: target }, { type: 'stageChanged' }],
    [audit(by, 'host_handed_over', target, ctx.now)],
  );
}
