/**
 * @module room-schedule — validation of a scheduled start: a time after `now` and at most
 * LIMITS.scheduleAheadMs ahead, and an IANA time zone the host picked it in (so their own client shows it
 * back as they typed it; everyone else sees it in their own zone). Pure: `now` comes in; the only thing
 * it reads is Intl's list of zones, which is data, not I/O. Never throws.
 */
import { LIMITS } from './limits.ts';
import { reject } from './rejections.ts';
import type { Validated } from './room-details.ts';

/** Time zone names are short ASCII words like America/Argentina/Buenos_Aires or UTC. */
const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

export function validateTimeZone(raw: string): Validated<string> {
  const bad = { ok: false as const, rejection: reject('invalid_time_zone', 'The time zone must be an IANA name such as Europe/Paris or UTC.') };
  if (!ZONE_SHAPE.test(raw)) return bad;
  try {
    // the canonical spelling, so "utc" and "UTC" are stored alike
    return { ok: true, value: new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone };
  } catch {
    // RangeError: Intl does not know the zone; that is the answer we want, not an error to report
    return bad;
  }
}

export function validateStartTime(startsAt: number, now: number): Validated<number> {
  if (!Number.isSafeInteger(startsAt) || startsAt <= now || startsAt > now + LIMITS.scheduleAheadMs) {
    return {
      ok: false,
      rejection: reject('invalid_start_time', `The start time must be in the future and at most ${LIMITS.scheduleAheadMs / 86_400_000} days ahead.`),
    };
  }
  return { ok: true, value: startsAt };
}
