/**
 * @module room-actions — everything that can be asked of a room, and by whom. An action is data; the
 * rules in room-rules.ts decide it. The actor is who asks; the context carries `now` and the few facts
 * about accounts that live outside the room (follows and blocks of the current host, whose room
 * connection is open, whose hand is raised), looked up by the caller beforehand so the rules stay free of I/O.
 */
import type { UserId } from './ids.ts';
import type { Reaction } from './limits.ts';
import type { AutoMuteCause, SoundGuard, SpeakerPolicy } from './room-state.ts';

export type Actor =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly userId: UserId }
  /** the server itself: presence timers and the periodic tick */
  | { readonly kind: 'system' };

export interface RoomContext {
  readonly now: number;
  /** does the current host follow this account? (speaker policy 'followed') */
  readonly followedByHost: (userId: UserId) => boolean;
  /** has the current host blocked this account? */
  readonly blockedByHost: (userId: UserId) => boolean;
  /**
   * is this person's room connection open now? Someone brought onto the stage over plain HTTP has none,
   * and presence must say so from the first answer: an absent co-host could otherwise inherit the room.
   */
  readonly hasConnection: (userId: UserId) => boolean;
  /**
   * is this person's hand raised? The queue is rows the store keeps (it can hold the whole audience), so
   * the caller looks up the actor's or target's row beforehand, as it does follows.
   */
  readonly handRaised: (userId: UserId) => boolean;
}

export type RoomAction =
  /** enter the room to listen (no state change; the answer says whether it is allowed) */
  | { readonly type: 'join' }
  | {
      readonly type: 'updateDetails';
      readonly title?: string;
      readonly topics?: readonly string[];
      readonly description?: string;
      readonly speakerPolicy?: SpeakerPolicy;
      readonly soundGuard?: Partial<SoundGuard>;
    }
  /** host of a scheduled room: move the start time (and optionally the zone it is shown in to the host) */
  | { readonly type: 'reschedule'; readonly startsAt: number; readonly timeZone?: string }
  /** host of a scheduled room: call it off (it ends with reason 'cancelled') */
  | { readonly type: 'cancel' }
  /** host of a scheduled room: open it backstage now, early or on time */
  | { readonly type: 'start' }
  | { readonly type: 'goLive' }
  | { readonly type: 'end' }
  | { readonly type: 'requestToSpeak' }
  | { readonly type: 'cancelRequest' }
  | { readonly type: 'approveRequest'; readonly target: UserId }
  | { readonly type: 'declineRequest'; readonly target: UserId }
  | { readonly type: 'invite'; readonly target: UserId }
  | { readonly type: 'cancelInvite'; readonly target: UserId }
  | { readonly type: 'acceptInvite' }
  | { readonly type: 'declineInvite' }
  | { readonly type: 'stepDown' }
  | { readonly type: 'moveToAudience'; readonly target: UserId }
  | { readonly type: 'mute' }
  | { readonly type: 'unmute' }
  | { readonly type: 'muteMember'; readonly target: UserId }
  | { readonly type: 'muteAll' }
  /** system: the server's ear heard a hot mic for long enough, or an echo, and the room's sound guard says mute */
  | { readonly type: 'autoMute'; readonly target: UserId; readonly cause: AutoMuteCause }
  | { readonly type: 'addCohost'; readonly target: UserId }
  | { readonly type: 'removeCohost'; readonly target: UserId }
  | { readonly type: 'handOver'; readonly target: UserId }
  | { readonly type: 'remove'; readonly target: UserId; readonly reason: string }
  | { readonly type: 'pin'; readonly url: string }
  | { readonly type: 'unpin'; readonly url: string }
  | { readonly type: 'react'; readonly reaction: Reaction }
  | { readonly type: 'report'; readonly target: UserId | null; readonly reason: string }
  /** a stage member's control connection came up / went down */
  | { readonly type: 'connect' }
  | { readonly type: 'disconnect' }
  /** system: apply time-based rules (host grace period, hostless timeout, start-time nudge, missed) */
  | { readonly type: 'tick' };

export type RoomActionType = RoomAction['type'];
