/**
 * @module rules-mute — who is muted. Everyone arrives muted; each member mutes and unmutes themself;
 * a host or co-host can mute others (never the host) but can never unmute anyone else. Muting someone
 * already muted is accepted and changes nothing. The media plane drops a muted member's packets, so
 * this state, not the client, decides who is heard. Pure; never reads a clock.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import type { RoomContext } from './room-actions.ts';
import type { RoomEvent } from './room-events.ts';
import { stageMember } from './room-queries.ts';
import type { AutoMuteCause, RoomState } from './room-state.ts';
import { accepted, audit, refused, unchanged } from './rules-common.ts';
import { patchMember } from './stage-edit.ts';

export function mute(state: RoomState, by: UserId): Decision {
  const me = stageMember(state, by);
  if (me === undefined) return refused('not_on_stage', 'Only people on the stage have a microphone.');
  if (me.muted) return unchanged(state);
  return accepted({ ...state, stage: patchMember(state.stage, by, { muted: true, mutedBy: 'self' }) }, [
    { type: 'stageChanged' },
  ]);
}

/** A member muted by a moderator may unmute themself: the moderator's mute is a signal, not a lock. */
export function unmute(state: RoomState, by: UserId): Decision {
  const me = stageMember(state, by);
  if (me === undefined) return refused('not_on_stage', 'Only people on the stage have a microphone.');
  if (!me.muted) return unchanged(state);
  return accepted({ ...state, stage: patchMember(state.stage, by, { muted: false }) }, [{ type: 'stageChanged' }]);
}

export function muteMember(state: RoomState, by: UserId, target: UserId, ctx: RoomContext): Decision {
  if (target === by) return refused('cannot_target_self', 'Use your own mute button.');
  const member = stageMember(state, target);
  if (member === undefined) return refused('not_on_stage', 'That person is not on the stage.');
  // Only the host is protected here: a co-host may mute another co-host (unlike moving or removing one).
  if (target === state.hostId) return refused('cannot_moderate_host', 'Nobody can mute the host.');
  if (member.muted) return unchanged(state);
  return accepted(
    { ...state, stage: patchMember(state.stage, target, { muted: true, mutedBy: 'moderator' }) },
    [{ type: 'stageChanged' }, { type: 'mutedByModerator', userId: target, by }],
    [audit(by, 'muted_member', target, ctx.now)],
  );
}

/**
 * The server mutes a member its ear judged a hot mic (for long enough) or an echo, as the room's sound
 * guard asked. Unlike a moderator it may mute the host: a host's hot mic reaches the audience as surely
 * as anyone's, and they can unmute themself at once. The person and the hosts are told why.
 */
export function autoMute(state: RoomState, target: UserId, cause: AutoMuteCause, ctx: RoomContext): Decision {
  const member = stageMember(state, target);
  if (member === undefined) return refused('not_on_stage', 'That person is not on the stage.');
  if (member.muted) return unchanged(state);
  return accepted(
    { ...state, stage: patchMember(state.stage, target, { muted: true, mutedBy: 'moderator' }) },
    [{ type: 'stageChanged' }, { type: 'autoMuted', userId: target, cause }],
    [audit(null, 'auto_muted', target, ctx.now, cause)],
  );
}

/** Mutes every unmuted member except the host and the one asking; one audit entry for the whole act. */
export function muteAll(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  const targets = state.stage.filter((m) => !m.muted && m.userId !== state.hostId && m.userId !== by);
  if (targets.length === 0) return unchanged(state);
  let stage = state.stage;
  const events: RoomEvent[] = [{ type: 'stageChanged' }];
  for (const t of targets) {
    stage = patchMember(stage, t.userId, { muted: true, mutedBy: 'moderator' });
    events.push({ type: 'mutedByModerator', userId: t.userId, by });
  }
  return accepted({ ...state, stage }, events, [audit(by, 'muted_all', null, ctx.now)]);
}
