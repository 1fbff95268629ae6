/**
 * @module room-events — what happened, as told by the rules after an accepted action. The control
 * layer turns these into pushes (room-wide state on the next tick, private notices to one person)
 * and into media decisions (drop a muted member's packets). The audit entries are the permanent record
 * of every moderation and role action: who did what to whom, why, and when.
 */
import type { UserId } from './ids.ts';
import type { Reaction } from './limits.ts';
import type { AutoMuteCause, RoomStatus, StageRole } from './room-state.ts';

export type RoomEvent =
  | { readonly type: 'statusChanged'; readonly status: RoomStatus }
  | { readonly type: 'detailsChanged' }
  /** a scheduled room's start time moved */
  | { readonly type: 'rescheduled'; readonly startsAt: number }
  /** private to the host: the scheduled start time has come, time to start the room */
  | { readonly type: 'startTimeReached'; readonly hostId: UserId }
  | { readonly type: 'stageChanged' }
  /** `userId` raised their hand at `at`: the store adds their row to the queue (seen by host and co-hosts) */
  | { readonly type: 'handRaised'; readonly userId: UserId; readonly at: number }
  /** `userId`'s hand is down (lowered, approved, declined, invited up, removed): the store drops their row */
  | { readonly type: 'handLowered'; readonly userId: UserId }
  /** the pending invitations changed (seen by host and co-hosts, like hand raises) */
  | { readonly type: 'invitesChanged' }
  | { readonly type: 'pinsChanged' }
  | { readonly type: 'hostChanged'; readonly from: UserId; readonly to: UserId }
  /** private to `userId`: a host or co-host invited them to the stage */
  | { readonly type: 'invited'; readonly userId: UserId; readonly by: UserId }
  /** private to `userId`: the invitation they had was withdrawn by a host or co-host */
  | { readonly type: 'inviteCancelled'; readonly userId: UserId }
  /** private to `userId`: their hand raise was declined */
  | { readonly type: 'requestDeclined'; readonly userId: UserId }
  /** private to `userId`: a host or co-host muted them ("you are muted by the host") */
  | { readonly type: 'mutedByModerator'; readonly userId: UserId; readonly by: UserId }
  /** private to `userId` (and told to the hosts): the server muted them, for `cause` */
  | { readonly type: 'autoMuted'; readonly userId: UserId; readonly cause: AutoMuteCause }
  /** `userId` must lose their connections to this room now */
  | { readonly type: 'removed'; readonly userId: UserId }
  /** a reaction to count in this tick's aggregate */
  | { readonly type: 'reacted'; readonly reaction: Reaction }
  /** a report to store; the rules only check it is well formed */
  | { readonly type: 'reported'; readonly by: UserId; readonly target: UserId | null; readonly reason: string };

export const AUDIT_ACTIONS = [
  'room_created',
  'room_scheduled',
  'rescheduled',
  'cancelled',
  'started',
  'host_nudged',
  'missed',
  'details_updated',
  'went_live',
  'ended',
  'request_approved',
  'request_declined',
  'invited',
  'invite_cancelled',
  'invite_accepted',
  'stepped_down',
  'moved_to_audience',
  'muted_member',
  'muted_all',
  'auto_muted',
  'cohost_added',
  'cohost_removed',
  'host_handed_over',
  'host_taken_over',
  'removed',
  'pinned',
  'unpinned',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** null when the server acted (host take-over after the grace period, hostless end) */
  readonly actor: UserId | null;
  readonly target: UserId | null;
  readonly action: AuditAction;
  readonly reason: string;
  readonly at: number;
}
