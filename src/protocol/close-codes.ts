/**
 * @module close-codes — the one table of WebSocket close codes Amphi's servers send, with the sentence a
 * person reads and whether a client should try again. Servers close with these; clients decide to
 * reconnect from `retry`. Adding a code means adding a row here and in docs/protocol.md. Pure data.
 */

export const CLOSE_CODES = {
  /** the join token is missing, malformed, forged or expired */
  badToken: 4001,
  /** `resume` is not a decimal uint32: the token may be fine, the place to resume from is not */
  badResume: 4002,
  /** the stream (room) does not exist on this node or no longer exists */
  streamNotFound: 4004,
  /** the listener's connection could not keep up with live audio */
  tooSlow: 4008,
  /** the room ended: there is nothing more to hear */
  roomEnded: 4010,
  /** a host removed this person from the room */
  removed: 4011,
  /** this node holds as many listeners as it may; try again (maybe elsewhere) */
  overCapacity: 4029,
  /** the node is shutting down or moving the stream; reconnect */
  goingAway: 1001,
  // the room control socket refuses a join with 4000 + the HTTP status of the refusal
  /** room socket: too many malformed messages */
  abuse: 4400,
  /** room socket: refused (removed from the room, blocked by the host, ...) */
  forbidden: 4403,
  /** room socket: no such room */
  roomNotFound: 4404,
  /** room socket: the room has ended */
  roomGone: 4410,
  /** room socket: too many messages per second */
  flood: 4429,
  /** room socket: something went wrong on the server; try again */
  serverError: 4500,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;
export type CloseCode = (typeof CLOSE_CODES)[CloseCodeName];

interface CloseCodeInfo {
  readonly name: CloseCodeName;
  /** the close reason text sent with the code (≤ 123 bytes of UTF-8, as WebSocket requires) */
  readonly reason: string;
  /** true: a client may reconnect; false: reconnecting cannot help */
  readonly retry: boolean;
}

const TABLE: Readonly<Record<CloseCode, CloseCodeInfo>> = {
  4001: { name: 'badToken', reason: 'bad token: sign in or join again', retry: false },
  // worth a retry, without the resume: a client that reconnects at live loses nothing it can get back
  4002: { name: 'badResume', reason: 'bad resume: it must be a decimal uint32; reconnect without it', retry: true },
  4004: { name: 'streamNotFound', reason: 'stream not found', retry: false },
  4008: { name: 'tooSlow', reason: 'too slow: your connection could not keep up', retry: true },
  4010: { name: 'roomEnded', reason: 'room ended', retry: false },
  4011: { name: 'removed', reason: 'removed from the room by a host', retry: false },
  4029: { name: 'overCapacity', reason: 'over capacity: try again shortly', retry: true },
  1001: { name: 'goingAway', reason: 'server going away: reconnect', retry: true },
  4400: { name: 'abuse', reason: 'too many invalid messages', retry: false },
  4403: { name: 'forbidden', reason: 'not allowed in this room', retry: false },
  4404: { name: 'roomNotFound', reason: 'no such room', retry: false },
  4410: { name: 'roomGone', reason: 'room ended', retry: false },
  4429: { name: 'flood', reason: 'too many messages', retry: true },
  4500: { name: 'serverError', reason: 'server error: try again', retry: true },
};

export const closeCodeInfo = (code: CloseCode): CloseCodeInfo => TABLE[code];

/** The reason text that goes with a code, for `socket.close(code, closeReason(code))`. */
export const closeReason = (code: CloseCode): string => TABLE[code].reason;

/**
 * Whether a client must stop reconnecting after the server closed with `code`. Codes not in the table
 * (network drops, 1006, a proxy's 1011) are worth retrying: only the server's explicit "no" is final.
 */
export const isTerminalCloseCode = (code: number): boolean => {
  const info = (TABLE as Readonly<Record<number, CloseCodeInfo | undefined>>)[code];
  return info !== undefined && !info.retry;
};
