/** @module rules-schedule.test — scheduling a room, moving its time, cancelling, starting early or late, the start-time nudge and missed after an hour. For tests only. */
import { describe, expect, it } from 'vitest';
import { asRoomId } from './ids.ts';
import { LIMITS } from './limits.ts';
import { createScheduledRoomState } from './room-create.ts';
import { HOST, LISTENER, STARTS_AT, SYSTEM, T0, accepted, act, ctxAt, outcome, scheduledRoom } from './room-fixtures.ts';
import { isAudible } from './room-queries.ts';
import { decide } from './room-rules.ts';

const DAY = 86_400_000;
const tickAt = (now: number, s = scheduledRoom()) => decide(s, SYSTEM, { type: 'tick' }, ctxAt(now));
const input = { id: asRoomId('r'), hostId: HOST, title: 'Q&A', topics: [], description: '', speakerPolicy: 'everyone' as const };

describe('scheduling a room', () => {
  it('creates a scheduled room with its time and the host zone in canonical spelling, audited as scheduled', () => {
    const made = createScheduledRoomState({ ...input, startsAt: T0 + DAY, timeZone: 'utc' }, T0);
    expect(made.ok && made.state).toMatchObject({ status: 'scheduled', schedule: { startsAt: T0 + DAY, timeZone: 'UTC', nudged: false }, liveAt: null });
    expect(made.ok && made.audit.map((a) => a.action)).toEqual(['room_scheduled']);
  });

  it('accepts a time up to 30 days ahead and refuses one a millisecond later, or one not in the future', () => {
    const at = (startsAt: number) => {
      const made = createScheduledRoomState({ ...input, startsAt, timeZone: 'Europe/Paris' }, T0);
      return made.ok ? 'ok' : made.rejection.code;
    };
    expect(at(T0 + 30 * DAY)).toBe('ok');
    expect(at(T0 + 30 * DAY + 1)).toBe('invalid_start_time');
    expect(at(T0)).toBe('invalid_start_time');
    expect(at(T0 - 1)).toBe('invalid_start_time');
    expect(at(T0 + 0.5)).toBe('invalid_start_time');
  });

  it('refuses a time zone Intl does not know, and the details first when both are wrong', () => {
    const zone = createScheduledRoomState({ ...input, startsAt: T0 + DAY, timeZone: 'Mars/Olympus' }, T0);
    expect(!zone.ok && zone.rejection.code).toBe('invalid_time_zone');
    const both = createScheduledRoomState({ ...input, title: ' ', startsAt: T0 - 1, timeZone: '??' }, T0);
    expect(!both.ok && both.rejection.code).toBe('invalid_title');
  });

  it('carries nobody audible before it starts, not even an unmuted host', () => {
    expect(isAudible(scheduledRoom(), HOST)).toEqual({ toStage: false, toProgram: false });
  });
});

describe('editing the time', () => {
  it('moves the start time, keeps the zone unless given, and re-arms the nudge', () => {
    const nudged = accepted(tickAt(STARTS_AT)).state;
    const d = accepted(act(nudged, HOST, { type: 'reschedule', startsAt: STARTS_AT + DAY, timeZone: 'Asia/Tokyo' }, STARTS_AT + 5));
    expect(d.state.schedule).toEqual({ startsAt: STARTS_AT + DAY, timeZone: 'Asia/Tokyo', nudged: false });
    expect(d.events).toEqual([{ type: 'rescheduled', startsAt: STARTS_AT + DAY }]);
    expect(d.audit).toMatchObject([{ actor: HOST, action: 'rescheduled' }]);
  });

  it('the same time again changes nothing; a time in the past or a bad zone is refused', () => {
    const s = scheduledRoom();
    expect(accepted(act(s, HOST, { type: 'reschedule', startsAt: STARTS_AT })).state).toBe(s);
    expect(outcome(act(s, HOST, { type: 'reschedule', startsAt: T0 - 1 }))).toBe('invalid_start_time');
    expect(outcome(act(s, HOST, { type: 'reschedule', startsAt: T0 + 31 * DAY }))).toBe('invalid_start_time');
    expect(outcome(act(s, HOST, { type: 'reschedule', startsAt: T0 + DAY / 2, timeZone: 'Nowhere/Land' }))).toBe('invalid_time_zone');
  });
});

describe('cancelling and starting', () => {
  it('cancelling ends the room for good with reason cancelled', () => {
    const d = accepted(act(scheduledRoom(), HOST, { type: 'cancel' }, T0 + 7));
    expect(d.state).toMatchObject({ status: 'ended', endedAt: T0 + 7, endReason: 'cancelled' });
    expect(d.events).toEqual([{ type: 'statusChanged', status: 'ended' }]);
    expect(outcome(act(d.state, HOST, { type: 'start' }))).toBe('room_ended');
  });

  it('the host may start a day early: the room opens backstage, keeps its announced time, and then goes live as usual', () => {
    const d = accepted(act(scheduledRoom(), HOST, { type: 'start' }, T0 + 9));
    expect(d.state).toMatchObject({ status: 'backstage', schedule: { startsAt: STARTS_AT } });
    expect(d.events).toEqual([{ type: 'statusChanged', status: 'backstage' }]);
    expect(outcome(act(d.state, HOST, { type: 'start' }))).toBe('not_scheduled');
    const live = accepted(act(d.state, HOST, { type: 'goLive' }, T0 + 10));
    expect(live.state.status).toBe('live');
  });

  it('the host may start late up to an hour after the time, and not after', () => {
    expect(outcome(act(scheduledRoom(), HOST, { type: 'start' }, STARTS_AT + LIMITS.missedAfterMs - 1))).toBe('ok');
    expect(outcome(act(scheduledRoom(), HOST, { type: 'start' }, STARTS_AT + LIMITS.missedAfterMs))).toBe('schedule_missed');
  });

  it('going live straight from scheduled is refused: a room opens backstage first', () => {
    expect(outcome(act(scheduledRoom(), HOST, { type: 'goLive' }))).toBe('not_started');
    expect(outcome(act(scheduledRoom(), LISTENER, { type: 'goLive' }))).toBe('not_a_host');
  });
});

describe('time on a scheduled room', () => {
  it('before the start time a tick changes nothing', () => {
    const s = scheduledRoom();
    expect(accepted(tickAt(STARTS_AT - 1, s)).state).toBe(s);
  });

  it('at the start time the host is nudged once, with an audit line and no second nudge', () => {
    const d = accepted(tickAt(STARTS_AT));
    expect(d.events).toEqual([{ type: 'startTimeReached', hostId: HOST }]);
    expect(d.audit).toMatchObject([{ actor: null, action: 'host_nudged', target: HOST }]);
    expect(d.state.status).toBe('scheduled');
    const again = accepted(tickAt(STARTS_AT + 60_000, d.state));
    expect(again.state).toBe(d.state);
    expect(again.events).toEqual([]);
  });

  it('an hour after the start time an unstarted room is marked missed, nudged or not', () => {
    const missed = accepted(tickAt(STARTS_AT + LIMITS.missedAfterMs));
    expect(missed.state).toMatchObject({ status: 'ended', endReason: 'missed', endedAt: STARTS_AT + LIMITS.missedAfterMs });
    expect(missed.audit).toMatchObject([{ actor: null, action: 'missed' }]);
    const nudged = accepted(tickAt(STARTS_AT)).state;
    expect(accepted(tickAt(STARTS_AT + LIMITS.missedAfterMs - 1, nudged)).state).toBe(nudged);
    expect(accepted(tickAt(STARTS_AT + LIMITS.missedAfterMs, nudged)).state.endReason).toBe('missed');
  });

  it('a started room is no longer subject to missed: time there is the host-presence tick', () => {
    const started = accepted(act(scheduledRoom(), HOST, { type: 'start' }, STARTS_AT)).state;
    const later = decide(started, SYSTEM, { type: 'tick' }, ctxAt(STARTS_AT + 3 * LIMITS.missedAfterMs));
    expect(accepted(later).state.status).toBe('backstage');
  });
});
