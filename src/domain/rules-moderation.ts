/**
 * @module rules-moderation — removal, reports, pinned links and reactions. Called by room-rules.ts after
 * the common checks passed. Removal is permanent for the room; reports and reactions change nothing in
 * the state and only emit events for the control layer to store or count. Pure; never reads a clock.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import { LIMITS, REACTIONS } from './limits.ts';
import type { Reaction } from './limits.ts';
import type { RoomContext } from './room-actions.ts';
import type { RoomEvent } from './room-events.ts';
import { isRemoved, stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';
import { normalisePinUrl } from './pin-url.ts';
import { accepted, audit, refused, unchanged } from './rules-common.ts';
import { moderationRefusal } from './rules-roles.ts';
import { clearInvite, withoutMember } from './stage-edit.ts';

const length = (s: string): number => [...s].length;

/**
 * Takes the target off the stage, lowers their hand, withdraws their invitation and bars them from the
 * room for good. Works on listeners too (they need not be on stage). Removing someone already removed
 * is accepted and changes nothing.
 */
export function remove(state: RoomState, by: UserId, target: UserId, rawReason: string, ctx: RoomContext): Decision {
  if (target === by) return refused('cannot_target_self', 'You cannot remove yourself.');
  const notAllowed = moderationRefusal(state, by, target);
  if (notAllowed !== null) return notAllowed;
  const reason = rawReason.trim();
  if (length(reason) > LIMITS.removeReasonMaxChars) {
    return refused('invalid_reason', `The reason may have at most ${LIMITS.removeReasonMaxChars} characters.`);
  }
  if (isRemoved(state, target)) return unchanged(state);
  const wasOnStage = stageMember(state, target) !== undefined;
  const cleared = clearInvite(state, target);
  const next: RoomState = {
    ...cleared.state,
    stage: withoutMember(state.stage, target),
    removed: [...state.removed, target],
  };
  const events: RoomEvent[] = [{ type: 'removed', userId: target }];
  if (wasOnStage) events.push({ type: 'stageChanged' });
  if (ctx.handRaised(target)) events.push({ type: 'handLowered', userId: target });
  if (cleared.hadInvite) events.push({ type: 'invitesChanged' });
  return accepted(next, events, [audit(by, 'removed', target, ctx.now, reason)]);
}

/** Anyone signed in may report, even after removal; the rules only check the report is well formed. */
export function report(state: RoomState, by: UserId, target: UserId | null, rawReason: string): Decision {
  if (target === by) return refused('cannot_target_self', 'You cannot report yourself.');
  const reason = rawReason.trim();
  if (length(reason) < 1 || length(reason) > LIMITS.reportReasonMaxChars) {
    return refused('invalid_reason', `Say what is wrong in 1 to ${LIMITS.reportReasonMaxChars} characters.`);
  }
  return unchanged(state, [{ type: 'reported', by, target, reason }]);
}

const isReaction = (r: string): r is Reaction => (REACTIONS as readonly string[]).includes(r);

/** Counted, not stored; the caller applies the per-person rate limit (control/reaction-limiter.ts) first. */
export function react(state: RoomState, reaction: string): Decision {
  if (state.status !== 'live') return refused('not_live', 'Reactions open when the room is live.');
  if (!isReaction(reaction)) return refused('invalid_reaction', 'That reaction is not one of the room’s reactions.');
  return unchanged(state, [{ type: 'reacted', reaction }]);
}

/** The audit entry's reason holds the link, since a pin has no other "why" worth keeping. */
export function pin(state: RoomState, by: UserId, rawUrl: string, ctx: RoomContext): Decision {
  const url = normalisePinUrl(rawUrl);
  if (url === null) {
    return refused('invalid_url', `Pin an http or https link of at most ${LIMITS.pinUrlMaxChars} characters.`);
  }
  if (state.pins.some((p) => p.url === url)) return refused('already_pinned', 'That link is already pinned.');
  if (state.pins.length >= LIMITS.pins) return refused('pins_full', `At most ${LIMITS.pins} links can be pinned.`);
  return accepted(
    { ...state, pins: [...state.pins, { url, pinnedBy: by, at: ctx.now }] },
    [{ type: 'pinsChanged' }],
    [audit(by, 'pinned', null, ctx.now, url)],
  );
}

export function unpin(state: RoomState, by: UserId, rawUrl: string, ctx: RoomContext): Decision {
  // Compare in the form pins are stored; a link that does not even parse cannot be pinned.
  const url = normalisePinUrl(rawUrl) ?? rawUrl;
  if (!state.pins.some((p) => p.url === url)) return refused('not_pinned', 'That link is not pinned.');
  return accepted(
    { ...state, pins: state.pins.filter((p) => p.url !== url) },
    [{ type: 'pinsChanged' }],
    [audit(by, 'unpinned', null, ctx.now, url)],
  );
}
