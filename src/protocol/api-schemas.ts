/**
 * @module api-schemas — the request bodies of Amphi's HTTP API as zod schemas, shared by the server
 * (validation, OpenAPI) and the web client (types). Schemas check shape and hard bounds and name the
 * field at fault; the room's own rules (title length after trimming, URL kinds...) stay in domain/ so
 * there is one place that decides them. Never imports I/O.
 */
import { z } from 'zod';
import { REACTIONS } from '../domain/limits.ts';
import { ECHO_ACTIONS, SPEAKER_POLICIES } from '../domain/room-state.ts';

/** a generous bound on any free text: the rules apply the real limits with their own codes */
const text = (max: number) => z.string().max(max);

/**
 * Letters of either case: a handle keeps the case it was chosen in, and Alice and alice are one handle
 * (the store compares them without case). No `i` flag: JSON Schema patterns have no flags, so the
 * OpenAPI document would say lowercase only and generated clients would refuse valid handles.
 */
export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,15}$/;

export const SignUpBody = z
  .object({
    handle: z.string().regex(HANDLE_PATTERN, 'handle must be 3-15 letters, digits or _'),
    displayName: z.string().trim().min(1, 'displayName must not be empty').max(50, 'displayName must be at most 50 characters'),
    password: z.string().min(10, 'password must be at least 10 characters').max(200, 'password must be at most 200 characters'),
  })
  .strict();
export type SignUpBody = z.infer<typeof SignUpBody>;

export const SignInBody = z
  .object({
    handle: z.string().min(1).max(15),
    password: z.string().min(1).max(200),
  })
  .strict();
export type SignInBody = z.infer<typeof SignInBody>;

export const CreateRoomBody = z
  .object({
    title: text(500),
    topics: z.array(text(100)).max(10).default([]),
    description: text(2000).default(''),
    speakerPolicy: z.enum(SPEAKER_POLICIES).default('everyone'),
  })
  .strict();
export type CreateRoomBody = z.infer<typeof CreateRoomBody>;

export const UpdateRoomBody = z
  .object({
    title: text(500).optional(),
    topics: z.array(text(100)).max(10).optional(),
    description: text(2000).optional(),
    speakerPolicy: z.enum(SPEAKER_POLICIES).optional(),
    soundGuard: z.object({ autoMuteNoisy: z.boolean().optional(), echo: z.enum(ECHO_ACTIONS).optional() }).strict().optional(),
  })
  .strict();
export type UpdateRoomBody = z.infer<typeof UpdateRoomBody>;

const target = z.string().min(1).max(64).describe('the user id of the person acted on');

/** Every room action a person can ask for, over HTTP (POST /api/rooms/:id/actions) or the room WebSocket. */
export const RoomActionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('goLive') }).strict(),
  z.object({ type: z.literal('end') }).strict(),
  z.object({ type: z.literal('requestToSpeak') }).strict(),
  z.object({ type: z.literal('cancelRequest') }).strict(),
  z.object({ type: z.literal('approveRequest'), target }).strict(),
  /** approve the head of the queue in the host's order (followed, spoke before, earliest) */
  z.object({ type: z.literal('approveNext') }).strict(),
  z.object({ type: z.literal('declineRequest'), target }).strict(),
  z.object({ type: z.literal('invite'), target }).strict(),
  z.object({ type: z.literal('cancelInvite'), target }).strict(),
  z.object({ type: z.literal('acceptInvite') }).strict(),
  z.object({ type: z.literal('declineInvite') }).strict(),
  z.object({ type: z.literal('stepDown') }).strict(),
  z.object({ type: z.literal('moveToAudience'), target }).strict(),
  z.object({ type: z.literal('mute') }).strict(),
  z.object({ type: z.literal('unmute') }).strict(),
  z.object({ type: z.literal('muteMember'), target }).strict(),
  z.object({ type: z.literal('muteAll') }).strict(),
  z.object({ type: z.literal('addCohost'), target }).strict(),
  z.object({ type: z.literal('removeCohost'), target }).strict(),
  z.object({ type: z.literal('handOver'), target }).strict(),
  z.object({ type: z.literal('remove'), target, reason: text(2000).default('') }).strict(),
  z.object({ type: z.literal('pin'), url: text(10_000) }).strict(),
  z.object({ type: z.literal('unpin'), url: text(10_000) }).strict(),
  z.object({ type: z.literal('react'), reaction: z.enum(REACTIONS) }).strict(),
  z.object({ type: z.literal('report'), target: target.nullable().default(null), reason: text(2000) }).strict(),
]);
export type RoomActionBody = z.infer<typeof RoomActionBody>;

export const ListRoomsQuery = z
  .object({
    status: z.enum(['live', 'backstage']).default('live'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const ListenTicketQuery = z
  .object({
    ticket: z.string().max(64).optional().describe('your place in line, from an earlier "waiting" answer'),
    avoid: z.string().max(200).optional().describe('the listener origin (ws://host:port) whose socket just failed: another edge is named if there is one'),
  })
  .strict();

export const HandsQuery = z
  .object({
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('rows to skip in the host\'s order, default 0'),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe('1-100, default 50'),
    q: z.string().max(64).optional().describe('keep people whose handle or display name contains this, ignoring case'),
  })
  .strict();

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(200).describe('1-1000, default 200: the latest entries, oldest first'),
  })
  .strict();
