/**
 * @module rules-stage — how listeners reach the stage: hand raises (requests) and invitations. Called
 * by room-rules.ts after the common checks passed (the actor is signed in, not removed, not blocked where
 * that matters, and a host or co-host where the action needs one). The queue of raised hands is rows
 * the store keeps, not part of the state: these rules decide from the bounded state and `ctx.handRaised`
 * whether a hand may go up or down and say so as events (handRaised, handLowered), which the control
 * layer applies to the rows. Raising and lowering are idempotent: asking for what already holds is
 * accepted and changes nothing, so a retried or repeated tap is never an error. Pure; never reads a clock.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import type { RoomContext } from './room-actions.ts';
import type { RoomEvent } from './room-events.ts';
import { inviteOf, isRemoved, speakerCount, stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';
import { accepted, audit, refused, unchanged } from './rules-common.ts';
import { clearInvite, insertMember, newMember } from './stage-edit.ts';

const stageFull = (): Decision =>
  refused('stage_full', `All ${LIMITS.speakers} speaker seats are taken; someone must leave the stage first.`);

export function requestToSpeak(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  if (state.status !== 'live') return refused('not_live', 'Hands can be raised once the room is live.');
  if (stageMember(state, by) !== undefined) return refused('already_on_stage', 'You are already on the stage.');
  const allowed =
    state.speakerPolicy === 'everyone' || (state.speakerPolicy === 'followed' && ctx.followedByHost(by));
  if (!allowed) {
    return refused(
      'policy_forbids_request',
      state.speakerPolicy === 'invited'
        ? 'Speakers join this room by invitation only.'
        : 'Only people the host follows can ask to speak here.',
    );
  }
  // idempotent: a hand already up stays up with its first time (its place in line is kept)
  if (ctx.handRaised(by)) return unchanged(state);
  return unchanged(state, [{ type: 'handRaised', userId: by, at: ctx.now }]);
}

/** Lowering a hand that is not raised is accepted and changes nothing (idempotent, like raising). */
export function cancelRequest(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  return unchanged(state, ctx.handRaised(by) ? [{ type: 'handLowered', userId: by }] : []);
}

/** The requester arrives as a speaker, muted; any invitation they also had is used up. */
export function approveRequest(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (!ctx.handRaised(target)) return refused('no_request', 'That person has no raised hand.');
  if (speakerCount(state) >= LIMITS.speakers) return stageFull();
  const cleared = clearInvite(state, target);
  const next = { ...cleared.state, stage: insertMember(state.stage, newMember(target, 'speaker', ctx.now, ctx.hasConnection(target))) };
  const events: RoomEvent[] = [{ type: 'stageChanged' }, { type: 'handLowered', userId: target }];
  if (cleared.hadInvite) events.push({ type: 'invitesChanged' });
  return accepted(next, events, [audit(by, 'request_approved', target, ctx.now)]);
}

/** The state does not change (the hand is a row), but the decline is a moderation act: it is audited. */
export function declineRequest(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (!ctx.handRaised(target)) return refused('no_request', 'That person has no raised hand.');
  return accepted(
    state,
    [{ type: 'handLowered', userId: target }, { type: 'requestDeclined', userId: target }],
    [audit(by, 'request_declined', target, ctx.now)],
  );
}

export function invite(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (target === by) return refused('cannot_target_self', 'You cannot invite yourself.');
  if (isRemoved(state, target)) return refused('removed_from_room', 'That person was removed from this room.');
  if (stageMember(state, target) !== undefined) return refused('already_on_stage', 'That person is already on the stage.');
  if (ctx.blockedByHost(target)) return refused('blocked_by_host', 'The host has blocked that person.');
  if (inviteOf(state, target) !== undefined) return refused('already_invited', 'That person is already invited.');
  // A full stage does not stop an invitation: seats may free up before it is accepted, which checks again.
  return accepted(
    { ...state, invites: [...state.invites, { userId: target, invitedBy: by, at: ctx.now }] },
    [{ type: 'invited', userId: target, by }, { type: 'invitesChanged' }],
    [audit(by, 'invited', target, ctx.now)],
  );
}

const withoutInvite = (state: RoomState, userId: UserId): RoomState => ({
  ...state,
  invites: state.invites.filter((i) => i.userId !== userId),
});

export function cancelInvite(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (inviteOf(state, target) === undefined) return refused('no_invite', 'That person has no invitation.');
  return accepted(
    withoutInvite(state, target),
    [{ type: 'inviteCancelled', userId: target }, { type: 'invitesChanged' }],
    [audit(by, 'invite_cancelled', target, ctx.now)],
  );
}

/** The invitee arrives as a speaker, muted; a hand they had raised is lowered. */
export function acceptInvite(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  if (stageMember(state, by) !== undefined) return refused('already_on_stage', 'You are already on the stage.');
  if (inviteOf(state, by) === undefined) return refused('no_invite', 'You have no invitation to the stage.');
  if (speakerCount(state) >= LIMITS.speakers) return stageFull();
  const cleared = clearInvite(state, by);
  const next = { ...cleared.state, stage: insertMember(state.stage, newMember(by, 'speaker', ctx.now, ctx.hasConnection(by))) };
  const events: RoomEvent[] = [{ type: 'stageChanged' }, { type: 'invitesChanged' }];
  if (ctx.handRaised(by)) events.push({ type: 'handLowered', userId: by });
  return accepted(next, events, [audit(by, 'invite_accepted', by, ctx.now)]);
}

/** Declining is the invitee's own business, like a hand raise: no audit entry. */
export function declineInvite(state: RoomState, by: UserId): Decision {
  if (inviteOf(state, by) === undefined) return refused('no_invite', 'You have no invitation to the stage.');
  return accepted(withoutInvite(state, by), [{ type: 'invitesChanged' }]);
}
