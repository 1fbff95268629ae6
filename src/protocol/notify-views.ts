/**
 * @module notify-views — what the server sends about scheduled rooms, reminders, notifications, a
 * go-live fan-out's progress, and the per-user live channel (Server-Sent Events at GET /api/me/events).
 * Shared with the web client; zod schemas feed the OpenAPI document. Never imports I/O.
 */
import { z } from 'zod';
import { ROOM_STATUSES } from '../domain/room-state.ts';
import { RoomView, UserView } from './api-views.ts';

export const ScheduledRoomView = z.object({
  room: RoomView,
  /** how many people asked to be reminded */
  reminders: z.number(),
  /** whether you did (false when signed out) */
  reminderSet: z.boolean(),
});
export type ScheduledRoomView = z.infer<typeof ScheduledRoomView>;

export const NOTIFICATION_KIND_VALUES = ['room_live', 'room_cancelled', 'room_starting'] as const;

export const NotificationView = z.object({
  id: z.number(),
  kind: z.enum(NOTIFICATION_KIND_VALUES).describe('room_live: a room you follow or set a reminder for is live; room_cancelled: a room you set a reminder for was cancelled; room_starting: your scheduled room\'s start time has come'),
  at: z.number(),
  read: z.boolean(),
  room: z.object({ id: z.string(), title: z.string(), status: z.enum(ROOM_STATUSES), startsAt: z.number().nullable() }).nullable(),
  /** who caused it (the host), null when the server did */
  actor: UserView.nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const FanoutProgressView = z.object({
  roomId: z.string(),
  kind: z.enum(['room_live', 'room_cancelled']),
  /** reminders → top (followers who listen most) → rest → done */
  phase: z.enum(['reminders', 'top', 'rest', 'done']),
  notified: z.number(),
  total: z.number(),
  done: z.boolean(),
});
export type FanoutProgressView = z.infer<typeof FanoutProgressView>;

/**
 * The events of GET /api/me/events, each an SSE `event:` name with JSON `data:`: `notification` (one new
 * NotificationView for you), `fanout` (progress of a fan-out about your room), `ready` (sent once when
 * the stream opens, with your unread count). Comment lines (": ping") are heartbeats.
 */
export type UserEvent =
  | { readonly type: 'ready'; readonly unread: number }
  | { readonly type: 'notification'; readonly notification: NotificationView }
  | { readonly type: 'fanout'; readonly progress: FanoutProgressView };
export const USER_EVENT_TYPES = ['ready', 'notification', 'fanout'] as const satisfies readonly UserEvent['type'][];
