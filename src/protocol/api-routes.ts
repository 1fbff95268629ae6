/**
 * @module api-routes — the table of Amphi's HTTP endpoints: method, path, what it does, its body and
 * response schemas, and the error codes it may answer. The server registers its handlers against these
 * ids and the OpenAPI document is generated from this table, so the documentation cannot drift from
 * the code. Data only; never imports I/O.
 */
import { z } from 'zod';
import { ListenTicketQuery, CreateRoomBody, RoomActionBody, SignInBody, SignUpBody, UpdateRoomBody } from './api-schemas.ts';
import { REJECTION_CODES } from '../domain/rejections.ts';
import { ListenTicketView, AuditView, ProfileView, RoomView, RoomWithMeView, UserView } from './api-views.ts';

export interface RouteSpec {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono-style path with :params */
  readonly path: string;
  readonly summary: string;
  readonly auth: 'none' | 'optional' | 'required';
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly response?: z.ZodType;
  readonly status: 200 | 201 | 204;
  /** error codes this endpoint may answer besides bad_request/payload_too_large/internal */
  readonly errors: readonly string[];
}

const routes = {
  signUp: { method: 'post', path: '/api/accounts', summary: 'Create an account and sign in (sets the session cookie).', auth: 'none', body: SignUpBody, response: z.object({ user: UserView }), status: 201, errors: ['handle_taken', 'bad_origin'] },
  signIn: { method: 'post', path: '/api/sessions', summary: 'Sign in (sets the session cookie).', auth: 'none', body: SignInBody, response: z.object({ user: UserView }), status: 200, errors: ['bad_credentials', 'rate_limited', 'bad_origin'] },
  signOut: { method: 'delete', path: '/api/sessions/current', summary: 'Sign out (clears the session).', auth: 'optional', status: 204, errors: ['bad_origin'] },
  me: { method: 'get', path: '/api/me', summary: 'The signed-in account.', auth: 'required', response: z.object({ user: UserView }), status: 200, errors: ['unauthorized'] },
  profile: { method: 'get', path: '/api/users/:handle', summary: 'A profile with follower counts.', auth: 'optional', response: ProfileView, status: 200, errors: ['user_not_found'] },
  follow: { method: 'put', path: '/api/users/:handle/follow', summary: 'Follow this account.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'bad_origin'] },
  unfollow: { method: 'delete', path: '/api/users/:handle/follow', summary: 'Stop following this account.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'bad_origin'] },
  block: { method: 'put', path: '/api/users/:handle/block', summary: 'Block this account: it cannot join rooms you host nor ask to speak in them.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'bad_origin'] },
  unblock: { method: 'delete', path: '/api/users/:handle/block', summary: 'Unblock this account.', auth: 'required', response: ProfileView, status: 200, errors: ['unauthorized', 'user_not_found', 'bad_origin'] },
  createRoom: { method: 'post', path: '/api/rooms', summary: 'Create a room; it starts backstage with you as host.', auth: 'required', body: CreateRoomBody, response: RoomWithMeView, status: 201, errors: ['unauthorized', 'invalid_title', 'invalid_topics', 'invalid_description', 'bad_origin'] },
  listRooms: { method: 'get', path: '/api/rooms', summary: 'Rooms live now (or backstage), busiest and newest first.', auth: 'optional', query: z.object({ status: z.enum(['live', 'backstage']).optional().describe('default live'), limit: z.string().optional().describe('1-100, default 50') }), response: z.object({ rooms: z.array(RoomView) }), status: 200, errors: [] },
  getRoom: { method: 'get', path: '/api/rooms/:roomId', summary: 'A room as you see it: the room, your place in it, and (for hosts) the hand-raise queue.', auth: 'optional', response: RoomWithMeView, status: 200, errors: ['room_not_found', 'removed_from_room', 'blocked_by_host'] },
  updateRoom: { method: 'patch', path: '/api/rooms/:roomId', summary: "Change the room's title, topics, description or speaker policy (host and co-hosts).", auth: 'required', body: UpdateRoomBody, response: RoomWithMeView, status: 200, errors: ['unauthorized', 'room_not_found', 'not_a_host', 'room_ended', 'invalid_title', 'invalid_topics', 'invalid_description', 'bad_origin'] },
  roomAction: { method: 'post', path: '/api/rooms/:roomId/actions', summary: 'Take an action in a room: go live, end, raise a hand, approve, invite, mute, pin, react, remove, hand over...', auth: 'required', body: RoomActionBody, response: RoomWithMeView, status: 200, errors: ['unauthorized', 'room_not_found', 'user_not_found', 'bad_origin', ...REJECTION_CODES.filter((c) => c !== 'not_in_room' && c !== 'not_connected')] },
  listenTicket: { method: 'get', path: '/api/rooms/:roomId/listen', summary: "A ticket to the room's audio: a signed join token for the listener WebSocket (docs/protocol.md), or, when this node is full, a place in its waiting line. Signed-out people may listen.", auth: 'optional', query: ListenTicketQuery, response: ListenTicketView, status: 200, errors: ['room_not_found', 'room_ended', 'removed_from_room', 'blocked_by_host', 'unavailable'] },
  roomAudit: { method: 'get', path: '/api/rooms/:roomId/audit', summary: "The room's audit log: every moderation and role action (host and co-hosts).", auth: 'required', query: z.object({ limit: z.string().optional().describe('1-1000, default 200: the latest entries, oldest first') }), response: z.object({ entries: z.array(AuditView) }), status: 200, errors: ['unauthorized', 'room_not_found', 'not_a_host'] },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;
export const API_ROUTES: Readonly<Record<RouteId, RouteSpec>> = routes;
