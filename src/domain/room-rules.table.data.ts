/**
 * @module room-rules.table.data — the expected answer to every action by every role in a backstage and a
 * live room (an ended room refuses everything with `room_ended`; the test writes those rows itself; a
 * scheduled room has its own table in room-rules.table.scheduled.ts).
 * A cell is one outcome for both states, or a pair [backstage, live]. Written out by hand from the rules,
 * never computed, so a change in behaviour shows up here as a diff. For tests only.
 */
import {
  BLOCKED,
  BYSTANDER,
  COHOST,
  HOST,
  INVITEE,
  LISTENER,
  PINNED_URL,
  REMOVED,
  REQUESTER,
  SPEAKER,
  ANONYMOUS,
  SYSTEM,
  T0,
  user,
} from './room-fixtures.ts';
import type { RejectionCode } from './rejections.ts';
import type { Actor, RoomAction, RoomActionType } from './room-actions.ts';

export type Outcome = 'ok' | RejectionCode;
export type Cell = Outcome | readonly [backstage: Outcome, live: Outcome];

export const ROLES = {
  host: user(HOST),
  cohost: user(COHOST),
  speaker: user(SPEAKER),
  listener: user(LISTENER),
  requester: user(REQUESTER),
  invitee: user(INVITEE),
  signedOut: ANONYMOUS,
  removed: user(REMOVED),
  blocked: user(BLOCKED),
  system: SYSTEM,
} as const satisfies Record<string, Actor>;
export type RoleName = keyof typeof ROLES;

/** The one action of each type the table asks, with its target where it has one. */
export const ACTIONS: { readonly [K in RoomActionType]: Extract<RoomAction, { type: K }> } = {
  join: { type: 'join' },
  updateDetails: { type: 'updateDetails', title: 'A new title' },
  reschedule: { type: 'reschedule', startsAt: T0 + 2 * 86_400_000 },
  cancel: { type: 'cancel' },
  start: { type: 'start' },
  goLive: { type: 'goLive' },
  end: { type: 'end' },
  requestToSpeak: { type: 'requestToSpeak' },
  cancelRequest: { type: 'cancelRequest' },
  approveRequest: { type: 'approveRequest', target: REQUESTER },
  declineRequest: { type: 'declineRequest', target: REQUESTER },
  invite: { type: 'invite', target: LISTENER },
  cancelInvite: { type: 'cancelInvite', target: INVITEE },
  acceptInvite: { type: 'acceptInvite' },
  declineInvite: { type: 'declineInvite' },
  stepDown: { type: 'stepDown' },
  moveToAudience: { type: 'moveToAudience', target: SPEAKER },
  mute: { type: 'mute' },
  unmute: { type: 'unmute' },
  muteMember: { type: 'muteMember', target: SPEAKER },
  muteAll: { type: 'muteAll' },
  addCohost: { type: 'addCohost', target: SPEAKER },
  removeCohost: { type: 'removeCohost', target: COHOST },
  handOver: { type: 'handOver', target: COHOST },
  remove: { type: 'remove', target: SPEAKER, reason: 'off topic' },
  pin: { type: 'pin', url: 'https://example.com/b' },
  unpin: { type: 'unpin', url: PINNED_URL },
  react: { type: 'react', reaction: '👏' },
  report: { type: 'report', target: BYSTANDER, reason: 'abuse' },
  connect: { type: 'connect' },
  disconnect: { type: 'disconnect' },
  tick: { type: 'tick' },
  autoMute: { type: 'autoMute', target: SPEAKER, cause: 'noisyMic' },
};

// Column order everywhere: host, cohost, speaker, listener, requester, invitee, signedOut, removed, blocked, system.
export const EXPECTED: { readonly [K in RoomActionType]: Readonly<Record<RoleName, Cell>> } = {
  join: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'ok', removed: 'removed_from_room', blocked: 'blocked_by_host', system: 'not_signed_in',
  },
  updateDetails: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  reschedule: {
    host: 'not_scheduled', cohost: 'host_only', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  cancel: {
    host: 'not_scheduled', cohost: 'host_only', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  start: {
    host: 'not_scheduled', cohost: 'host_only', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  goLive: {
    host: ['ok', 'already_live'], cohost: ['ok', 'already_live'], speaker: 'not_a_host', listener: 'not_a_host',
    requester: 'not_a_host', invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room',
    blocked: 'not_a_host', system: 'not_signed_in',
  },
  end: {
    host: 'ok', cohost: 'host_only', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  requestToSpeak: {
    host: ['not_live', 'already_on_stage'], cohost: ['not_live', 'already_on_stage'],
    speaker: ['not_live', 'already_on_stage'], listener: ['not_live', 'ok'],
    requester: ['not_live', 'ok'], invitee: ['not_live', 'ok'], signedOut: 'not_signed_in',
    removed: 'removed_from_room', blocked: 'blocked_by_host', system: 'not_signed_in',
  },
  cancelRequest: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok',
    requester: 'ok', invitee: 'ok', signedOut: 'not_signed_in',
    removed: 'removed_from_room', blocked: 'ok', system: 'not_signed_in',
  },
  approveRequest: {
    host: ['no_request', 'ok'], cohost: ['no_request', 'ok'], speaker: 'not_a_host', listener: 'not_a_host',
    requester: 'not_a_host', invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room',
    blocked: 'not_a_host', system: 'not_signed_in',
  },
  declineRequest: {
    host: ['no_request', 'ok'], cohost: ['no_request', 'ok'], speaker: 'not_a_host', listener: 'not_a_host',
    requester: 'not_a_host', invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room',
    blocked: 'not_a_host', system: 'not_signed_in',
  },
  invite: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  cancelInvite: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  acceptInvite: {
    host: 'already_on_stage', cohost: 'already_on_stage', speaker: 'already_on_stage', listener: 'no_invite',
    requester: 'no_invite', invitee: 'ok', signedOut: 'not_signed_in', removed: 'removed_from_room',
    blocked: 'blocked_by_host', system: 'not_signed_in',
  },
  declineInvite: {
    host: 'no_invite', cohost: 'no_invite', speaker: 'no_invite', listener: 'no_invite', requester: 'no_invite',
    invitee: 'ok', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'no_invite',
    system: 'not_signed_in',
  },
  stepDown: {
    host: 'host_cannot_step_down', cohost: 'ok', speaker: 'ok', listener: 'not_on_stage',
    requester: 'not_on_stage', invitee: 'not_on_stage', signedOut: 'not_signed_in', removed: 'removed_from_room',
    blocked: 'not_on_stage', system: 'not_signed_in',
  },
  moveToAudience: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  mute: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'not_on_stage', requester: 'not_on_stage',
    invitee: 'not_on_stage', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_on_stage',
    system: 'not_signed_in',
  },
  unmute: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'not_on_stage', requester: 'not_on_stage',
    invitee: 'not_on_stage', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_on_stage',
    system: 'not_signed_in',
  },
  muteMember: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  muteAll: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  addCohost: {
    host: 'ok', cohost: 'host_only', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  removeCohost: {
    host: 'ok', cohost: 'host_only', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  handOver: {
    host: 'ok', cohost: 'host_only', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  remove: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  pin: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  unpin: {
    host: 'ok', cohost: 'ok', speaker: 'not_a_host', listener: 'not_a_host', requester: 'not_a_host',
    invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'not_a_host',
    system: 'not_signed_in',
  },
  react: {
    host: ['not_live', 'ok'], cohost: ['not_live', 'ok'], speaker: ['not_live', 'ok'], listener: ['not_live', 'ok'],
    requester: ['not_live', 'ok'], invitee: ['not_live', 'ok'], signedOut: 'not_signed_in',
    removed: 'removed_from_room', blocked: 'blocked_by_host', system: 'not_signed_in',
  },
  report: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'not_signed_in', removed: 'ok', blocked: 'ok', system: 'not_signed_in',
  },
  connect: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'ok', system: 'not_signed_in',
  },
  disconnect: {
    host: 'ok', cohost: 'ok', speaker: 'ok', listener: 'ok', requester: 'ok', invitee: 'ok',
    signedOut: 'not_signed_in', removed: 'removed_from_room', blocked: 'ok', system: 'not_signed_in',
  },
  tick: {
    host: 'not_a_host', cohost: 'not_a_host', speaker: 'not_a_host', listener: 'not_a_host',
    requester: 'not_a_host', invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room',
    blocked: 'not_a_host', system: 'ok',
  },
  // only the server's ear mutes on its own; to a person it is like asking to apply time
  autoMute: {
    host: 'not_a_host', cohost: 'not_a_host', speaker: 'not_a_host', listener: 'not_a_host',
    requester: 'not_a_host', invitee: 'not_a_host', signedOut: 'not_signed_in', removed: 'removed_from_room',
    blocked: 'not_a_host', system: 'ok',
  },
};
