/**
 * @module listener-query — how a listener says who it is and where to resume: both ride in the
 * WebSocket URL's query, so a join needs no message round trip before audio can flow and the server
 * decides during the upgrade. Two ways in: `?token=…` (a join token from the HTTP API: signed-in
 * people, whose blocks and removals the API knows) or `?room=…` (a signed-out listener joining
 * directly: the listener port applies the room's rules and the waiting line itself, so a join is one
 * round trip). Exactly one of the two. The listener sends nothing after that. Pure: URL and
 * URLSearchParams are globals in browsers and Node, no Node core module is imported.
 */
import { z } from 'zod';

/** The path a server mounts the listener endpoint on (transport/ owns the mounting). */
export const LISTENER_PATH = '/ws/listen';
export const MAX_TOKEN_LENGTH = 1024;
/** room ids are at most 64 characters (the API's limit) */
export const MAX_ROOM_ID_LENGTH = 64;

export type ListenerQuery =
  | {
      readonly kind: 'token';
      readonly token: string;
      /** the last seq the listener played; the server sends the frames after it if it still holds them */
      readonly resumeFromSeq: number | null;
    }
  | {
      readonly kind: 'room';
      /** signed out, no ticket: the room whose audio to join */
      readonly roomId: string;
      readonly resumeFromSeq: number | null;
    };

const querySchema = z.object({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH).optional(),
  room: z.string().min(1).max(MAX_ROOM_ID_LENGTH).optional(),
  resume: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,9})$/, 'resume must be a decimal uint32')
    .transform(Number)
    .refine((n) => n <= 0xffffffff, 'resume must be a uint32')
    .optional(),
});

export type ListenerQueryResult =
  | { readonly ok: true; readonly query: ListenerQuery }
  | { readonly ok: false; readonly code: 'bad_token' | 'bad_resume'; readonly message: string };

/** Reads and validates the listener query; a bad token or room maps to close code 4001, a bad resume too. */
export const parseListenerQuery = (params: URLSearchParams): ListenerQueryResult => {
  const parsed = querySchema.safeParse({
    token: params.get('token') ?? undefined,
    room: params.get('room') ?? undefined,
    resume: params.get('resume') ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'resume' ? 'bad_resume' : 'bad_token';
    return { ok: false, code: field, message: issue?.message ?? 'invalid listener query' };
  }
  const { token, room, resume } = parsed.data;
  const resumeFromSeq = resume ?? null;
  if (token !== undefined && room === undefined) return { ok: true, query: { kind: 'token', token, resumeFromSeq } };
  if (room !== undefined && token === undefined) return { ok: true, query: { kind: 'room', roomId: room, resumeFromSeq } };
  return { ok: false, code: 'bad_token', message: 'give either token (from the listen ticket) or room (signed out), not both or neither' };
};

/**
 * The URL to open: `base` is the endpoint (e.g. `wss://amphi.example/ws/listen`, or for a direct join
 * `…/ws/listen?room=ID`; any existing query is kept), the token (if given) and resume are set,
 * replacing any earlier value.
 */
export const buildListenerUrl = (base: string, query: { readonly token: string | null; readonly resumeFromSeq: number | null }): string => {
  const url = new URL(base);
  if (query.token !== null) url.searchParams.set('token', query.token);
  if (query.resumeFromSeq === null) url.searchParams.delete('resume');
  else url.searchParams.set('resume', String(query.resumeFromSeq));
  return url.toString();
};

/** the direct (signed-out) join URL of a room at a listener origin such as `wss://amphi.example:8081` */
export const directListenerUrl = (origin: string, roomId: string): string => `${origin}${LISTENER_PATH}?room=${encodeURIComponent(roomId)}`;
