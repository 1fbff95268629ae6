/**
 * @module stage-edit — the only code that rearranges the stage array, so its order always holds: host
 * first, then co-hosts, then speakers, each group in the order its members arrived in it. Also clears a
 * person's pending invitation. Returns new arrays and states; never mutates, never judges
 * whether a change is allowed (the rules do that first).
 */
import type { UserId } from './ids.ts';
import type { RoomState, StageMember, StageRole } from './room-state.ts';

const RANK: Record<StageRole, number> = { host: 0, cohost: 1, speaker: 2 };

/** Someone arriving on the stage: muted (the hot-mic guard); present only if their room connection is open. */
export const newMember = (userId: UserId, role: StageRole, now: number, connected: boolean): StageMember => ({
  userId,
  role,
  muted: true,
  mutedBy: 'self',
  onStageSince: now,
  roleSince: now,
  connected,
  disconnectedAt: connected ? null : now,
});

/** Puts `member` last in its role group (arrival order within the group). */
export function insertMember(stage: readonly StageMember[], member: StageMember): readonly StageMember[] {
  const at = stage.findIndex((m) => RANK[m.role] > RANK[member.role]);
  return at === -1 ? [...stage, member] : [...stage.slice(0, at), member, ...stage.slice(at)];
}

export const withoutMember = (stage: readonly StageMember[], userId: UserId): readonly StageMember[] =>
  stage.filter((m) => m.userId !== userId);

/** Changes a member's fields in place (same position); for mute and presence, never for roles. */
export const patchMember = (
  stage: readonly StageMember[],
  userId: UserId,
  patch: Partial<Pick<StageMember, 'muted' | 'mutedBy' | 'connected' | 'disconnectedAt'>>,
): readonly StageMember[] => stage.map((m) => (m.userId === userId ? { ...m, ...patch } : m));

/** Gives a member a new role: they move to the end of that role's group and their role clock restarts. */
export function changeRole(
  stage: readonly StageMember[],
  userId: UserId,
  role: StageRole,
  now: number,
): readonly StageMember[] {
  const member = stage.find((m) => m.userId === userId);
  if (member === undefined) return stage;
  return insertMember(withoutMember(stage, userId), { ...member, role, roleSince: now });
}

/** Host and co-host swap roles (handover, take-over): the new host goes first, the old one last among co-hosts. */
export function swapHost(state: RoomState, newHost: UserId, now: number): RoomState {
  const oldHost = state.hostId;
  const stage = changeRole(changeRole(state.stage, oldHost, 'cohost', now), newHost, 'host', now);
  return { ...state, hostId: newHost, stage };
}

/** Withdraws a person's invitation; reports whether there was one. (Their hand is a row: handLowered.) */
export function clearInvite(state: RoomState, userId: UserId): { state: RoomState; hadInvite: boolean } {
  const invites = state.invites.filter((i) => i.userId !== userId);
  const hadInvite = invites.length !== state.invites.length;
  return { state: hadInvite ? { ...state, invites } : state, hadInvite };
}
