/**
 * @module api-routes — the table of Amphi's HTTP endpoints: method, path, what it does, its body and
 * response schemas, and the error codes it may answer. The server registers its handlers against these
 * ids and the OpenAPI document is generated from this table, so the documentation cannot drift from
 * the code. Data only; never imports I/O.
 */
import { z } from 'zod';
import { AuditQuery, HandsQuery, ListenTicketQuery, CreateRoomBody, RoomActionBody, SignInBody, SignUpBody, UpdateRoomBody } from './api-schemas.ts';
import { REJECTION_CODES } from '../domain/rejections.ts';
import { LimitQuery, MarkReadBody, NotificationsQuery, RescheduleBody, ScheduleRoomBody, ScheduledByHostQuery } from './notify-schemas.ts';
import { FanoutProgressView, NotificationView, ScheduledRoomView } from './notify-views.ts';
import { ListenTicketView, AuditView, DrainView, HandsPageView, ProfileView, RoomView, RoomWithMeView, UserView } from './api-views.ts';

export interface RouteSpec {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono-style path with :params */
  readonly path: string;
  readonly summary: string;
  readonly auth: 'none' | 'optional' | 'required';
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly response?: z.ZodType;
  /** a success answer that is not one JSON body (a Server-Sent Events stream): its media type */
  readonly stream?: 'text/event-stream';
  readonly status: 200 | 201 | 204;
  /** error codes this endpoint may answer besides bad_request/payload_too_large/internal (and invalid_json when it reads a body; unless GET, unsupported_media_type) */
  readonly errors: readonly string[];
}

const SCHEDULE_CHANGE_ERRORS = ['unauthorized', 'room_not_found', 'not_a_host', 'host_only', 'removed_from_room', 'not_scheduled', 'room_ended', 'bad_origin'] as const;

const routes = {
  signUp: { method: 'post', path: '/api/accounts', summary: 'Create an account and sign in (sets the session cookie).', auth: 'none', body: SignUpBody, response: z.object({ user: UserView }), status: 201, errors: ['handle_taken', 'rate_limited', 'bad_origin'] },
  signIn: { method: 'post', path: '/api/sessions', summary: 'Sign in (sets the session cookie).', auth: 'none', body: SignInBody, response: z.object({ user: UserView }), status: 200, errors: ['bad_credentials', 'rate_limited', 'bad_origin'] },
  signOut: { method: 'delete', path: '/api/sessions/current', summary: 'Sign out (clears the session).', auth: 'optional', status: 204, errors: ['bad_origin'] },
  me: { method: 'get', path: '/api/me', summary: 'The signed-in account.', auth: 'required', response: z.object({ user: UserView }), status: 200, errors: ['unauthorized'] },
  profile: { method: 'get', path: '/api/users/:handle', summary: 'A profile with follower counts.', auth: 'optional', response: ProfileView, status: 200, errors: ['user_not_found'] },
  follow: { method: 'put', path: '/api/users/:handle/follow', summary: 'Follow this account.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'cannot_target_self', 'bad_origin'] },
  unfollow: { method: 'delete', path: '/api/users/:handle/follow', summary: 'Stop following this account.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'cannot_target_self', 'bad_origin'] },
  block: { method: 'put', path: '/api/users/:handle/block', summary: 'Block this account: it cannot join rooms you host nor ask to speak in them.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'cannot_target_self', 'bad_origin'] },
  unblock: { method: 'delete', path: '/api/users/:handle/block', summary: 'Unblock this account.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'cannot_target_self', 'bad_origin'] },
  createRoom: { method: 'post', path: '/api/rooms', summary: 'Create a room; it starts backstage with you as host.', auth: 'required', body: CreateRoomBody, response: RoomWithMeView, status: 201, errors: ['unauthorized', 'invalid_title', 'invalid_topics', 'invalid_description', 'bad_origin'] },
  listRooms: { method: 'get', path: '/api/rooms', summary: 'Rooms live now (or backstage), busiest and newest first.', auth: 'optional', query: z.object({ status: z.enum(['live', 'backstage']).optional().describe('default live'), limit: z.string().optional().describe('1-100, default 50') }), response: z.object({ rooms: z.array(RoomView) }), status: 200, errors: [] },
  getRoom: { method: 'get', path: '/api/rooms/:roomId', summary: 'A room as you see it: the room, your place in it, and (for hosts) how many hands are up.', auth: 'optional', response: RoomWithMeView, status: 200, errors: ['room_not_found', 'removed_from_room', 'blocked_by_host'] },
  updateRoom: { method: 'patch', path: '/api/rooms/:roomId', summary: "Change the room's title, topics, description, speaker policy or sound guard (host and co-hosts).", auth: 'required', body: UpdateRoomBody, response: RoomWithMeView, status: 200, errors: ['unauthorized', 'room_not_found', 'not_a_host', 'room_ended', 'invalid_title', 'invalid_topics', 'invalid_description', 'bad_origin'] },
  roomAction: { method: 'post', path: '/api/rooms/:roomId/actions', summary: 'Take an action in a room: go live, end, raise a hand, approve, invite, mute, pin, react, remove, hand over...', auth: 'required', body: RoomActionBody, response: RoomWithMeView, status: 200, errors: ['unauthorized', 'room_not_found', 'user_not_found', 'bad_origin', ...REJECTION_CODES.filter((c) => c !== 'not_in_room' && c !== 'not_connected')] },
  listenTicket: { method: 'get', path: '/api/rooms/:roomId/listen', summary: "A ticket to the room's audio: a signed join token for the listener WebSocket (docs/protocol.md), or, when this node is full, a place in its waiting line. Signed-out people may listen.", auth: 'optional', query: ListenTicketQuery, response: ListenTicketView, status: 200, errors: ['room_not_found', 'room_ended', 'removed_from_room', 'blocked_by_host', 'unavailable'] },
  roomHands: { method: 'get', path: '/api/rooms/:roomId/hands', summary: "The hand-raise queue a page at a time, in the host's order: people the host follows, then people who spoke in the host's rooms before, then earliest first; searchable by name (host and co-hosts).", auth: 'required', query: HandsQuery, response: HandsPageView, status: 200, errors: ['unauthorized', 'room_not_found', 'not_a_host'] },
  roomAudit: { method: 'get', path: '/api/rooms/:roomId/audit', summary: "The room's audit log: every moderation and role action (host and co-hosts).", auth: 'required', query: AuditQuery, response: z.object({ entries: z.array(AuditView) }), status: 200, errors: ['unauthorized', 'room_not_found', 'not_a_host'] },
  scheduleRoom: { method: 'post', path: '/api/scheduled-rooms', summary: 'Schedule a room up to 30 days ahead; it waits as scheduled until you start it (early or on time), and is marked missed an hour after its time.', auth: 'required', body: ScheduleRoomBody, response: ScheduledRoomView, status: 201, errors: ['unauthorized', 'invalid_title', 'invalid_topics', 'invalid_description', 'invalid_start_time', 'invalid_time_zone', 'bad_origin'] },
  listScheduledByHost: { method: 'get', path: '/api/scheduled-rooms', summary: "A host's scheduled rooms, soonest first (their profile).", auth: 'optional', query: ScheduledByHostQuery, response: z.object({ rooms: z.array(ScheduledRoomView) }), status: 200, errors: ['user_not_found'] },
  listScheduledFollowing: { method: 'get', path: '/api/scheduled-rooms/following', summary: 'Scheduled rooms of the hosts you follow, soonest first (your home page).', auth: 'required', query: LimitQuery, response: z.object({ rooms: z.array(ScheduledRoomView) }), status: 200, errors: ['unauthorized'] },
  rescheduleRoom: { method: 'patch', path: '/api/rooms/:roomId/schedule', summary: "Move a scheduled room's start time (host).", auth: 'required', body: RescheduleBody, response: ScheduledRoomView, status: 200, errors: [...SCHEDULE_CHANGE_ERRORS, 'invalid_start_time', 'invalid_time_zone'] },
  cancelRoom: { method: 'post', path: '/api/rooms/:roomId/cancel', summary: 'Cancel a scheduled room (host); people who set a reminder are told.', auth: 'required', response: ScheduledRoomView, status: 200, errors: [...SCHEDULE_CHANGE_ERRORS] },
  startRoom: { method: 'post', path: '/api/rooms/:roomId/start', summary: 'Start a scheduled room now, early or up to an hour late (host): it opens backstage.', auth: 'required', response: RoomWithMeView, status: 200, errors: [...SCHEDULE_CHANGE_ERRORS, 'schedule_missed'] },
  setReminder: { method: 'put', path: '/api/rooms/:roomId/reminder', summary: 'Remind me when this scheduled room starts (a notification when it goes live, or if it is cancelled).', auth: 'required', response: ScheduledRoomView, status: 200, errors: ['unauthorized', 'room_not_found', 'not_scheduled', 'room_ended', 'removed_from_room', 'blocked_by_host', 'bad_origin'] },
  removeReminder: { method: 'delete', path: '/api/rooms/:roomId/reminder', summary: 'Remove my reminder for this room.', auth: 'required', response: ScheduledRoomView, status: 200, errors: ['unauthorized', 'room_not_found', 'room_ended', 'removed_from_room', 'blocked_by_host', 'bad_origin'] },
  roomNotices: { method: 'get', path: '/api/rooms/:roomId/notices', summary: 'How far the go-live notices (or, for a cancelled room, the cancellation notices) got: notified X of Y (host and co-hosts).', auth: 'required', response: FanoutProgressView, status: 200, errors: ['unauthorized', 'room_not_found', 'not_a_host'] },
  listNotifications: { method: 'get', path: '/api/notifications', summary: 'Your notifications, newest first, with the unread count.', auth: 'required', query: NotificationsQuery, response: z.object({ notifications: z.array(NotificationView), unread: z.number() }), status: 200, errors: ['unauthorized'] },
  unreadNotifications: { method: 'get', path: '/api/notifications/unread', summary: 'How many of your notifications are unread.', auth: 'required', response: z.object({ unread: z.number() }), status: 200, errors: ['unauthorized'] },
  markNotificationsRead: { method: 'post', path: '/api/notifications/read', summary: 'Mark your notifications read, all or up to an id.', auth: 'required', body: MarkReadBody, response: z.object({ marked: z.number(), unread: z.number() }), status: 200, errors: ['unauthorized', 'bad_origin'] },
  drainNode: { method: 'post', path: '/api/admin/drain', summary: "Operators: drain this node (Authorization: Bearer AMPHI_ADMIN_TOKEN). It takes no new listeners, no ticket anywhere names it, and its listeners move to other edges a shard at a time, each resuming from its last frame; it stays up, empty, until stopped. The answer counts who moved and who was left at the deadline. A single node has nowhere to send anyone: 409 single_node.", auth: 'none', response: DrainView, status: 200, errors: ['unauthorized', 'not_found', 'single_node'] },
  myEvents: { method: 'get', path: '/api/me/events', summary: 'Your live channel, as Server-Sent Events (text/event-stream): `ready` {unread}, `notification` {notification}, `fanout` {progress}; a ": ping" comment every 25 s.', auth: 'required', stream: 'text/event-stream', status: 200, errors: ['unauthorized'] },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;
export const API_ROUTES: Readonly<Record<RouteId, RouteSpec>> = routes;
