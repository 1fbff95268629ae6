/**
 * @module room-rules — the one entry point to the room's rules: `decide(state, actor, action, ctx)`
 * returns the next state with its events and audit entries, or a coded rejection. Read this file to
 * learn who may do what; the rules-*.ts files hold each action's particular checks. Pure: no I/O, no
 * clock (`ctx.now`), no randomness, never mutates `state`, never throws.
 *
 * Checks run in this fixed order, and the first that fails is the answer (so a table of every action
 * by every role is predictable):
 *   1. ended      — an ended room refuses everything, `join` and `tick` included: `room_ended`.
 *   2. removed    — a removed person may only `report`: `removed_from_room`.
 *   3. signed in  — signed-out people may only `join`; the system may only `tick`: `not_signed_in`.
 *   4. blocked    — someone the current host blocked cannot `join`, `requestToSpeak`, `acceptInvite`
 *                   or `react`: `blocked_by_host` (they may still report).
 *   5. authority  — WHO below: host-or-co-host actions by others `not_a_host`; host-only actions by a
 *                   co-host `host_only` (by anyone else `not_a_host`); `tick` by a person `not_a_host`.
 *   6. scheduled  — a room that has not started yet allows only joining (to see it), its details, the
 *                   host's reschedule/cancel/start, reports, presence and the tick: else `not_started`.
 *   7. the rest   — each action's own checks (lifecycle, targets, input), in its rules-*.ts function.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import type { Actor, RoomAction, RoomActionType, RoomContext } from './room-actions.ts';
import { isRemoved, stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';
import { refused } from './rules-common.ts';
import { end, goLive, join, updateDetails } from './rules-lifecycle.ts';
import { pin, react, remove, report, unpin } from './rules-moderation.ts';
import { autoMute, muteAll, muteMember, mute, unmute } from './rules-mute.ts';
import { connect, disconnect, tick } from './rules-presence.ts';
import { cancel, reschedule, scheduledTick, start } from './rules-schedule.ts';
import { addCohost, handOver, moveToAudience, removeCohost, stepDown } from './rules-roles.ts';
import {
  acceptInvite,
  approveRequest,
  cancelInvite,
  cancelRequest,
  declineInvite,
  declineRequest,
  invite,
  requestToSpeak,
} from './rules-stage.ts';

/**
 * Who may ask for each action (step 5). 'anyone' includes signed-out listeners; 'account' is any signed-in
 * person; 'moderator' is the host or a co-host; 'host' is the host alone; 'system' is the server's tick.
 * Where an action needs a stage member (mute, stepDown) the action's own check says `not_on_stage`.
 */
export const WHO: Readonly<Record<RoomActionType, 'anyone' | 'account' | 'moderator' | 'host' | 'system'>> = {
  join: 'anyone',
  updateDetails: 'moderator',
  reschedule: 'host',
  cancel: 'host',
  start: 'host',
  goLive: 'moderator',
  end: 'host',
  requestToSpeak: 'account',
  cancelRequest: 'account',
  approveRequest: 'moderator',
  declineRequest: 'moderator',
  invite: 'moderator',
  cancelInvite: 'moderator',
  acceptInvite: 'account',
  declineInvite: 'account',
  stepDown: 'account',
  moveToAudience: 'moderator',
  mute: 'account',
  unmute: 'account',
  muteMember: 'moderator',
  muteAll: 'moderator',
  addCohost: 'host',
  removeCohost: 'host',
  handOver: 'host',
  remove: 'moderator',
  pin: 'moderator',
  unpin: 'moderator',
  react: 'account',
  report: 'account',
  connect: 'account',
  disconnect: 'account',
  tick: 'system',
  autoMute: 'system',
};

/** Step 2: the only thing a removed person may still do in the room. */
const REMOVED_MAY: ReadonlySet<RoomActionType> = new Set<RoomActionType>(['report']);
/** Step 6: what may happen in a room that is scheduled and has not started. */
const SCHEDULED_MAY: ReadonlySet<RoomActionType> = new Set<RoomActionType>([
  'join',
  'updateDetails',
  'reschedule',
  'cancel',
  'start',
  'report',
  'connect',
  'disconnect',
]);
/** Step 4: what a person blocked by the current host may not do. */
const BLOCKED_MAY_NOT: ReadonlySet<RoomActionType> = new Set<RoomActionType>([
  'join',
  'requestToSpeak',
  'acceptInvite',
  'react',
]);

export function decide(state: RoomState, actor: Actor, action: RoomAction, ctx: RoomContext): Decision {
  if (state.status === 'ended') return refused('room_ended', 'This room has ended.');
  switch (actor.kind) {
    case 'system':
      if (action.type === 'autoMute') {
        // a scheduled room has no stage audio to judge
        if (state.status === 'scheduled') return refused('not_started', 'This room is scheduled and has not started yet.');
        return autoMute(state, action.target, action.cause, ctx);
      }
      if (action.type !== 'tick') return refused('not_signed_in', 'The server acts only by ticking and by muting what its ear heard.');
      return state.status === 'scheduled' ? scheduledTick(state, ctx) : tick(state, ctx);
    case 'anonymous':
      return action.type === 'join' ? join(state) : refused('not_signed_in', 'Sign in to do that.');
    case 'user':
      return decideForUser(state, actor.userId, action, ctx);
  }
}

function decideForUser(state: RoomState, by: UserId, action: RoomAction, ctx: RoomContext): Decision {
  if (isRemoved(state, by) && !REMOVED_MAY.has(action.type)) {
    return refused('removed_from_room', 'You were removed from this room.');
  }
  if (BLOCKED_MAY_NOT.has(action.type) && ctx.blockedByHost(by)) {
    return refused('blocked_by_host', 'The host has blocked you.');
  }
  const role = stageMember(state, by)?.role;
  switch (WHO[action.type]) {
    case 'system':
      return refused('not_a_host', 'Only the server applies time.');
    case 'host':
      if (role === 'cohost') return refused('host_only', 'Only the host can do that.');
      if (role !== 'host') return refused('not_a_host', 'Only the host can do that.');
      break;
    case 'moderator':
      if (role !== 'host' && role !== 'cohost') return refused('not_a_host', 'Only the host or a co-host can do that.');
      break;
    case 'anyone':
    case 'account':
      break;
  }
  if (state.status === 'scheduled' && !SCHEDULED_MAY.has(action.type)) {
    return refused('not_started', 'This room is scheduled and has not started yet.');
  }

  switch (action.type) {
    // lifecycle and details (rules-lifecycle.ts)
    case 'join':
      return join(state);
    case 'updateDetails':
      return updateDetails(state, by, action, ctx);
    case 'reschedule':
      return reschedule(state, by, action, ctx);
    case 'cancel':
      return cancel(state, by, ctx);
    case 'start':
      return start(state, by, ctx);
    case 'goLive':
      return goLive(state, by, ctx);
    case 'end':
      return end(state, by, ctx);
    // reaching the stage (rules-stage.ts)
    case 'requestToSpeak':
      return requestToSpeak(state, by, ctx);
    case 'cancelRequest':
      return cancelRequest(state, by, ctx);
    case 'approveRequest':
      return approveRequest(state, by, action.target, ctx);
    case 'declineRequest':
      return declineRequest(state, by, action.target, ctx);
    case 'invite':
      return invite(state, by, action.target, ctx);
    case 'cancelInvite':
      return cancelInvite(state, by, action.target, ctx);
    case 'acceptInvite':
      return acceptInvite(state, by, ctx);
    case 'declineInvite':
      return declineInvite(state, by);
    // roles on the stage (rules-roles.ts)
    case 'stepDown':
      return stepDown(state, by, ctx);
    case 'moveToAudience':
      return moveToAudience(state, by, action.target, ctx);
    case 'addCohost':
      return addCohost(state, by, action.target, ctx);
    case 'removeCohost':
      return removeCohost(state, by, action.target, ctx);
    case 'handOver':
      return handOver(state, by, action.target, ctx);
    // microphones (rules-mute.ts)
    case 'mute':
      return mute(state, by);
    case 'unmute':
      return unmute(state, by);
    case 'muteMember':
      return muteMember(state, by, action.target, ctx);
    case 'muteAll':
      return muteAll(state, by, ctx);
    // moderation, pins, reactions (rules-moderation.ts)
    case 'remove':
      return remove(state, by, action.target, action.reason, ctx);
    case 'report':
      return report(state, by, action.target, action.reason);
    case 'pin':
      return pin(state, by, action.url, ctx);
    case 'unpin':
      return unpin(state, by, action.url, ctx);
    case 'react':
      return react(state, action.reaction);
    // presence and time (rules-presence.ts)
    case 'connect':
      return connect(state, by);
    case 'disconnect':
      return disconnect(state, by, ctx);
    case 'tick':
    case 'autoMute':
      // unreachable: WHO says 'system' for both, refused above for every person
      return refused('not_a_host', 'Only the server applies time.');
  }
}
