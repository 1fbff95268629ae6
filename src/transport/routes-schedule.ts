/**
 * @module routes-schedule — HTTP handlers for rooms scheduled ahead: schedule, list by host and for a
 * follower's home, move the time, cancel, start, set and remove a reminder, and the go-live notices'
 * progress. Validates with protocol's schemas and hands the rest to the schedule service.
 */
import type { Hono } from 'hono';
import { asRoomId } from '../domain/ids.ts';
import { LimitQuery, RescheduleBody, ScheduleRoomBody, ScheduledByHostQuery } from '../protocol/notify-schemas.ts';
import type { ScheduleService } from '../control/schedule-service.ts';
import { on, param, requireUser, type AppEnv } from './app-env.ts';
import { readJson, validate } from './request-input.ts';

export function registerScheduleRoutes(app: Hono<AppEnv>, schedules: ScheduleService): void {
  on(app, 'scheduleRoom', async (c) => {
    const body = validate(ScheduleRoomBody, await readJson(c.req));
    return c.json(await schedules.schedule(requireUser(c), body), 201);
  });

  on(app, 'listScheduledByHost', async (c) => {
    const q = validate(ScheduledByHostQuery, c.req.query());
    return c.json({ rooms: await schedules.byHost(q.host, c.get('user'), q.limit) });
  });

  on(app, 'listScheduledFollowing', async (c) => {
    const q = validate(LimitQuery, c.req.query());
    return c.json({ rooms: await schedules.following(requireUser(c), q.limit) });
  });

  on(app, 'rescheduleRoom', async (c) => {
    const body = validate(RescheduleBody, await readJson(c.req));
    return c.json(await schedules.reschedule(requireUser(c), asRoomId(param(c, 'roomId')), body));
  });

  on(app, 'cancelRoom', async (c) => c.json(await schedules.cancel(requireUser(c), asRoomId(param(c, 'roomId')))));
  on(app, 'startRoom', async (c) => c.json(await schedules.start(requireUser(c), asRoomId(param(c, 'roomId')))));
  on(app, 'setReminder', async (c) => c.json(await schedules.remind(requireUser(c), asRoomId(param(c, 'roomId')), true)));
  on(app, 'removeReminder', async (c) => c.json(await schedules.remind(requireUser(c), asRoomId(param(c, 'roomId')), false)));
  on(app, 'roomNotices', async (c) => c.json(await schedules.progress(requireUser(c), asRoomId(param(c, 'roomId')))));
}
