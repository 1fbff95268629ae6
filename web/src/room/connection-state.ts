/**
 * @module connection-state — the one state union of a room connection, and how a server close code
 * (plus the error frame that came just before it) becomes a final reason. Pure: no socket, no clock.
 * Which codes are final comes from the protocol's close-code table (src/protocol/close-codes.ts):
 * 4010 room ended, 4011 removed, 4403/4404/4410 refused at join, 4400 misbehaving client. Anything
 * else (1006 network drop, 1001 server restart, 4429, 4500) is worth a reconnect.
 */
import { CLOSE_CODES, isTerminalCloseCode } from '../../../src/protocol/close-codes.ts';

export type ClosedReason =
  | { readonly kind: 'ended' }
  | { readonly kind: 'removed' }
  /** the server refused us (room not found, blocked, removed earlier...): code is the server's error code */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  /** the reconnect policy gave up */
  | { readonly kind: 'gaveUp' }
  /** we closed it ourselves (left the page) */
  | { readonly kind: 'left' };

export type ConnectionState =
  /** the first attempt, before the room's state arrived */
  | { readonly kind: 'connecting' }
  /** joined: the room's state arrived on this socket */
  | { readonly kind: 'open' }
  /** lost, trying again: attempt counts retries since `lostAt` */
  | { readonly kind: 'reconnecting'; readonly attempt: number; readonly lostAt: number }
  /** final: nothing will reconnect */
  | { readonly kind: 'closed'; readonly reason: ClosedReason };

/** the refusal frame a server sends (ref null) just before closing a socket it will not serve */
export interface LastError {
  readonly code: string;
  readonly message: string;
}

/** the error code to explain a final close by, when no error frame preceded it */
const CODE_OF_CLOSE: Readonly<Record<number, string>> = {
  [CLOSE_CODES.forbidden]: 'not_a_host',
  [CLOSE_CODES.roomNotFound]: 'room_not_found',
  [CLOSE_CODES.abuse]: 'bad_request',
};

/** null when the socket should be opened again; otherwise why it is over */
export function finalReason(closeCode: number, lastError: LastError | null): ClosedReason | null {
  if (closeCode === CLOSE_CODES.roomEnded || closeCode === CLOSE_CODES.roomGone) return { kind: 'ended' };
  if (closeCode === CLOSE_CODES.removed) return { kind: 'removed' };
  if (!isTerminalCloseCode(closeCode)) return null;
  const code = lastError?.code ?? CODE_OF_CLOSE[closeCode] ?? 'internal';
  if (code === 'room_ended') return { kind: 'ended' };
  if (code === 'removed_from_room') return { kind: 'removed' };
  return { kind: 'refused', code, message: lastError?.message ?? '' };
}
