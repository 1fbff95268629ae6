/**
 * @module room-queries — read-only questions about a room's state: who has which role, who is heard
 * where, how full the stage is. The media plane asks `isAudible` before forwarding or mixing a single
 * packet; the rules use the rest. Pure reads; must never build or change a state.
 */
import type { UserId } from './ids.ts';
import { DEFAULT_SOUND_GUARD, type Invitation, type RoomState, type SoundGuard, type StageMember, type StageRole } from './room-state.ts';

export const soundGuardOf = (state: RoomState): SoundGuard => state.soundGuard ?? DEFAULT_SOUND_GUARD;

export const stageMember = (state: RoomState, userId: UserId): StageMember | undefined =>
  state.stage.find((m) => m.userId === userId);

export const isRemoved = (state: RoomState, userId: UserId): boolean => state.removed.includes(userId);

export function roleOf(state: RoomState, userId: UserId): StageRole | 'listener' | 'removed' {
  if (isRemoved(state, userId)) return 'removed';
  return stageMember(state, userId)?.role ?? 'listener';
}

/** Host or co-host: the people who run the room. */
export function isModerator(state: RoomState, userId: UserId): boolean {
  const role = stageMember(state, userId)?.role;
  return role === 'host' || role === 'cohost';
}

export const speakerCount = (state: RoomState): number => state.stage.filter((m) => m.role === 'speaker').length;

export const cohostCount = (state: RoomState): number => state.stage.filter((m) => m.role === 'cohost').length;

export const inviteOf = (state: RoomState, userId: UserId): Invitation | undefined =>
  state.invites.find((i) => i.userId === userId);

/**
 * The media plane's gate. An unmuted stage member is heard by the rest of the stage in backstage (the
 * soundcheck) and live; the listeners' program carries them only while live. Nobody is heard in an
 * ended room, nor while muted, removed or off the stage: the server drops those packets, so a client
 * that ignores "mute" still cannot be heard.
 */
export function isAudible(state: RoomState, userId: UserId): { toStage: boolean; toProgram: boolean } {
  const member = stageMember(state, userId);
  if (state.status === 'ended' || state.status === 'scheduled' || member === undefined || member.muted || isRemoved(state, userId)) {
    return { toStage: false, toProgram: false };
  }
  return { toStage: true, toProgram: state.status === 'live' };
}
