/**
 * @module room-rules.table.scheduled — the expected answer to every action by every role in a scheduled
 * room that has not started (`scheduledRoom()`: the host alone, disconnected; the other roles are plain
 * accounts there, since nobody can be on its stage, asked up or removed yet; BLOCKED is blocked by the
 * host). Asked at T0 + 10 s, long before the start time. One outcome per cell, written out by hand,
 * never computed. For tests only.
 */
import type { RoomActionType } from './room-actions.ts';
import type { Outcome, RoleName } from './room-rules.table.data.ts';

type Row = Readonly<Record<RoleName, Outcome>>;

/** the host's own scheduling action: ok for the host, not_a_host for everyone else signed in */
const hostOnly = (host: Outcome): Row => ({
  host, cohost: 'not_a_host', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
  invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'not_a_host', blocked: 'not_a_host',
  system: 'not_signed_in',
});

/** an action anyone signed in may ask for, which must wait for the room to start */
const waitsForStart = (blocked: Outcome): Row => ({
  host: 'not_started', cohost: 'not_started', speaker: 'not_started', listener: 'not_started',
  requester: 'not_started', invitee: 'not_started', signedOut: 'not_signed_in', removed: 'not_started',
  blocked, system: 'not_signed_in',
});

// Column order everywhere: host, cohost, speaker, listener, requester, invitee, signedOut, removed, blocked, system.
export const EXPECTED_SCHEDULED: { readonly [K in RoomActionType]: Row } = {
  join: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'ok', removed: 'ok', blocked: 'blocked_by_host', system: 'not_signed_in',
  },
  updateDetails: hostOnly('ok'),
  reschedule: hostOnly('ok'),
  cancel: hostOnly('ok'),
  start: hostOnly('ok'),
  goLive: hostOnly('not_started'),
  end: hostOnly('not_started'),
  requestToSpeak: waitsForStart('blocked_by_host'),
  cancelRequest: waitsForStart('not_started'),
  approveRequest: hostOnly('not_started'),
  declineRequest: hostOnly('not_started'),
  invite: hostOnly('not_started'),
  cancelInvite: hostOnly('not_started'),
  acceptInvite: waitsForStart('blocked_by_host'),
  declineInvite: waitsForStart('not_started'),
  stepDown: waitsForStart('not_started'),
  moveToAudience: hostOnly('not_started'),
  mute: waitsForStart('not_started'),
  unmute: waitsForStart('not_started'),
  muteMember: hostOnly('not_started'),
  muteAll: hostOnly('not_started'),
  addCohost: hostOnly('not_started'),
  removeCohost: hostOnly('not_started'),
  handOver: hostOnly('not_started'),
  remove: hostOnly('not_started'),
  pin: hostOnly('not_started'),
  unpin: hostOnly('not_started'),
  react: waitsForStart('blocked_by_host'),
  report: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'not_signed_in', removed: 'ok', blocked: 'ok', system: 'not_signed_in',
  },
  connect: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'not_signed_in', removed: 'ok', blocked: 'ok', system: 'not_signed_in',
  },
  disconnect: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'not_signed_in', removed: 'ok', blocked: 'ok', system: 'not_signed_in',
  },
  tick: {
    host: 'not_a_host', cohost: 'not_a_host', speaker: 'not_a_host', listener: 'not_a_host',
    requester: 'not_a_host', invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'not_a_host',
    blocked: 'not_a_host', system: 'ok',
  },
  autoMute: {
    host: 'not_a_host', cohost: 'not_a_host', speaker: 'not_a_host', listener: 'not_a_host',
    requester: 'not_a_host', invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'not_a_host',
    blocked: 'not_a_host', system: 'not_started',
  },
};
