/**
 * @module listener-query — how a listener says who it is and where to resume: both ride in the
 * WebSocket URL's query, so a join needs no message round trip before audio can flow and the server
 * decides during the upgrade. Two ways in: `?token=…` (a join token from the HTTP API: signed-in
 * people, whose blocks and removals the API knows) or `?room=…` (a signed-out listener joining
 * directly: the listener port applies the room's rules and the waiting line itself, so a join is one
 * round trip). Exactly one of the two. The listener sends nothing after that. Pure: URL and
 * URLSearchParams are globals in browsers and Node, no Node core module is imported.
 */
import { CLOSE_CODES } from './close-codes.ts';
import { textFault } from './text-rule.ts';

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

const RESUME = /^(0|[1-9][0-9]{0,9})$/;

export type ListenerQueryResult =
  | { readonly ok: true; readonly query: ListenerQuery }
  | { readonly ok: false; readonly code: 'bad_token' | 'bad_resume'; readonly message: string };

/** the close code for each way a listener query can be wrong (docs/protocol.md §4) */
export const QUERY_CLOSE_CODES = { bad_token: CLOSE_CODES.badToken, bad_resume: CLOSE_CODES.badResume } as const;

/**
 * Reads and validates the listener query; a bad token or room maps to close code 4001, a bad resume to
 * 4002 (a listener told "bad token" would throw away a good token). Written out by hand rather than as a schema: it runs once per join, and in a join storm that is
 * the hot path.
 */
export const parseListenerQuery = (params: URLSearchParams): ListenerQueryResult => {
  const token = params.get('token');
  const room = params.get('room');
  const resume = params.get('resume');
  let resumeFromSeq: number | null = null;
  if (resume !== null) {
    const n = RESUME.test(resume) ? Number(resume) : -1;
    if (n < 0 || n > 0xffffffff) return { ok: false, code: 'bad_resume', message: 'resume must be a decimal uint32' };
    resumeFromSeq = n;
  }
  if (token !== null && room === null) {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, code: 'bad_token', message: `token must be 1-${MAX_TOKEN_LENGTH} characters` };
    return { ok: true, query: { kind: 'token', token, resumeFromSeq } };
  }
  if (room !== null && token === null) {
    if (room.length === 0 || room.length > MAX_ROOM_ID_LENGTH) return { ok: false, code: 'bad_token', message: `room must be 1-${MAX_ROOM_ID_LENGTH} characters` };
    const fault = textFault(room);
    if (fault !== null) return { ok: false, code: 'bad_token', message: `room ${fault}` };
    return { ok: true, query: { kind: 'room', roomId: room, resumeFromSeq } };
  }
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
