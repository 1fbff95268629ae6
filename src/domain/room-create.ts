/**
 * @module room-create — a new room's first state: backstage, the creator as host and only stage member,
 * details validated and normalised by the same validators `updateDetails` uses. The host starts
 * disconnected (since `now`) until their control connection sends `connect`, so presence is never
 * assumed. Pure; `now` comes in.
 */
import type { RoomId, UserId } from './ids.ts';
import type { Rejection } from './rejections.ts';
import { validateDetails } from './room-details.ts';
import { validateStartTime, validateTimeZone } from './room-schedule.ts';
import type { AuditEntry } from './room-events.ts';
import type { RoomState, SpeakerPolicy } from './room-state.ts';
import { audit } from './rules-common.ts';
import { newMember } from './stage-edit.ts';

export { validateDescription, validateDetails, validateTitle, validateTopics } from './room-details.ts';

export interface CreateRoomInput {
  readonly id: RoomId;
  readonly hostId: UserId;
  readonly title: string;
  readonly topics: readonly string[];
  readonly description: string;
  readonly speakerPolicy: SpeakerPolicy;
}

export function createRoomState(
  input: CreateRoomInput,
  now: number,
): { ok: true; state: RoomState; audit: readonly AuditEntry[] } | { ok: false; rejection: Rejection } {
  const v = validateDetails(input);
  if (!v.ok) return { ok: false, rejection: v.rejection };
  const host = newMember(input.hostId, 'host', now, false);
  const state: RoomState = {
    id: input.id,
    status: 'backstage',
    title: v.value.title ?? '',
    topics: v.value.topics ?? [],
    description: v.value.description ?? '',
    speakerPolicy: input.speakerPolicy,
    createdAt: now,
    liveAt: null,
    endedAt: null,
    endReason: null,
    schedule: null,
    createdBy: input.hostId,
    hostId: input.hostId,
    stage: [host],
    invites: [],
    removed: [],
    pins: [],
  };
  return { ok: true, state, audit: [audit(input.hostId, 'room_created', null, now)] };
}

export interface ScheduleRoomInput extends CreateRoomInput {
  /** ms since the epoch, after `now` and at most LIMITS.scheduleAheadMs ahead */
  readonly startsAt: number;
  /** the host's IANA time zone */
  readonly timeZone: string;
}

/**
 * A room scheduled ahead: status 'scheduled', the host its only (disconnected) stage member, checked in
 * the order of the form (details, then time, then zone).
 */
export function createScheduledRoomState(
  input: ScheduleRoomInput,
  now: number,
): { ok: true; state: RoomState; audit: readonly AuditEntry[] } | { ok: false; rejection: Rejection } {
  const made = createRoomState(input, now);
  if (!made.ok) return made;
  const time = validateStartTime(input.startsAt, now);
  if (!time.ok) return { ok: false, rejection: time.rejection };
  const zone = validateTimeZone(input.timeZone);
  if (!zone.ok) return { ok: false, rejection: zone.rejection };
  const state: RoomState = { ...made.state, status: 'scheduled', schedule: { startsAt: time.value, timeZone: zone.value, nudged: false } };
  return { ok: true, state, audit: [audit(input.hostId, 'room_scheduled', null, now, new Date(time.value).toISOString())] };
}
