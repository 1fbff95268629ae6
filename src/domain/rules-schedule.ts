/**
 * @module rules-schedule — what a host does with a room scheduled ahead: move its time, cancel it, or
 * start it (early or on time) into backstage; and what time does to it: at the start time the host is
 * nudged once, and LIMITS.missedAfterMs later a room that was not started ends as `missed`. Called by
 * room-rules.ts after the common checks, so each function checks only its own lifecycle and input.
 * Pure; time comes in as `ctx.now`.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import type { RoomAction, RoomContext } from './room-actions.ts';
import { validateStartTime, validateTimeZone } from './room-schedule.ts';
import type { RoomState } from './room-state.ts';
import { accepted, audit, refused, unchanged } from './rules-common.ts';

type ActionOf<T extends RoomAction['type']> = Extract<RoomAction, { type: T }>;

const notScheduled = (): Decision => refused('not_scheduled', 'Only a scheduled room that has not started can be rescheduled, cancelled or started.');

export function reschedule(state: RoomState, by: UserId, action: ActionOf<'reschedule'>, ctx: RoomContext): Decision {
  if (state.status !== 'scheduled' || state.schedule === null) return notScheduled();
  const time = validateStartTime(action.startsAt, ctx.now);
  if (!time.ok) return { ok: false, rejection: time.rejection };
  let timeZone = state.schedule.timeZone;
  if (action.timeZone !== undefined) {
    const zone = validateTimeZone(action.timeZone);
    if (!zone.ok) return { ok: false, rejection: zone.rejection };
    timeZone = zone.value;
  }
  if (time.value === state.schedule.startsAt && timeZone === state.schedule.timeZone) return unchanged(state);
  // a new time earns a new nudge when it comes
  return accepted(
    { ...state, schedule: { startsAt: time.value, timeZone, nudged: false } },
    [{ type: 'rescheduled', startsAt: time.value }],
    [audit(by, 'rescheduled', null, ctx.now, new Date(time.value).toISOString())],
  );
}

export function cancel(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  if (state.status !== 'scheduled') return notScheduled();
  return accepted(
    { ...state, status: 'ended', endedAt: ctx.now, endReason: 'cancelled' },
    [{ type: 'statusChanged', status: 'ended' }],
    [audit(by, 'cancelled', null, ctx.now)],
  );
}

export function start(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  if (state.status !== 'scheduled') return notScheduled();
  if (state.schedule !== null && ctx.now >= state.schedule.startsAt + LIMITS.missedAfterMs) {
    return refused('schedule_missed', 'The start time passed more than an hour ago; schedule the room again.');
  }
  return accepted(
    { ...state, status: 'backstage' },
    [{ type: 'statusChanged', status: 'backstage' }],
    [audit(by, 'started', null, ctx.now)],
  );
}

/** The system's tick on a scheduled room: missed after the hour, else one nudge at the start time. */
export function scheduledTick(state: RoomState, ctx: RoomContext): Decision {
  const schedule = state.schedule;
  if (schedule === null || ctx.now < schedule.startsAt) return unchanged(state);
  if (ctx.now >= schedule.startsAt + LIMITS.missedAfterMs) {
    return accepted(
      { ...state, status: 'ended', endedAt: ctx.now, endReason: 'missed' },
      [{ type: 'statusChanged', status: 'ended' }],
      [audit(null, 'missed', null, ctx.now, 'not started within an hour of its time')],
    );
  }
  if (schedule.nudged) return unchanged(state);
  return accepted(
    { ...state, schedule: { ...schedule, nudged: true } },
    [{ type: 'startTimeReached', hostId: state.hostId }],
    [audit(null, 'host_nudged', state.hostId, ctx.now)],
  );
}
