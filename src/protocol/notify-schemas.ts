/**
 * @module notify-schemas — request bodies and queries for scheduling rooms, reminders and notifications,
 * as zod schemas shared by the server and the web client. Shapes and hard bounds only; the rules (the
 * 30-day window, known time zones, title lengths) stay in domain/. Never imports I/O.
 */
import { z } from 'zod';
import { SPEAKER_POLICIES } from '../domain/room-state.ts';

const text = (max: number) => z.string().max(max);
const startsAt = z.number().int().describe('the start time, ms since the epoch (UTC); at most 30 days ahead');
const timeZone = z.string().max(64).describe("the host's IANA time zone, e.g. Europe/Paris: the time is shown back to the host in it");

export const ScheduleRoomBody = z
  .object({
    title: text(500),
    topics: z.array(text(100)).max(10).default([]),
    description: text(2000).default(''),
    speakerPolicy: z.enum(SPEAKER_POLICIES).default('everyone'),
    startsAt,
    timeZone: timeZone.default('UTC'),
  })
  .strict();
export type ScheduleRoomBody = z.infer<typeof ScheduleRoomBody>;

export const RescheduleBody = z.object({ startsAt, timeZone: timeZone.optional() }).strict();
export type RescheduleBody = z.infer<typeof RescheduleBody>;

export const MarkReadBody = z
  .object({ upTo: z.number().int().min(0).optional().describe('mark read every notification with an id up to this one; all when left out') })
  .strict();

export const ScheduledByHostQuery = z
  .object({
    host: z.string().min(1).max(15).describe("the host's handle"),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const LimitQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }).strict();

export const NotificationsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(30),
    before: z.coerce.number().int().min(0).optional().describe('an id: the page of older notifications'),
  })
  .strict();
