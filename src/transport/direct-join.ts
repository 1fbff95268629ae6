/**
 * @module direct-join — what the listener port decides for a signed-out listener who opens
 * `/ws/listen?room=ID` without a ticket: let in now, a number in the node's waiting line held by the
 * socket itself, or refused with a close code a client understands. The same rules and the same line
 * as the HTTP ticket (RoomService.listenDirect), without the ticket's round trip or its signatures: in
 * a join storm nearly everyone is signed out, and a join is then one WebSocket upgrade. It never reads
 * a cookie (signed-in people come with a token from the API, which knows their blocks) and never
 * lets an unexpected error out: that is logged and becomes 4500.
 */
import type { Logger } from 'pino';
import { asRoomId } from '../domain/ids.ts';
import { asStreamId, type StreamId } from '../delivery/stream-id.ts';
import type { RoomService } from '../control/room-service.ts';
import type { DirectAdmission } from '../control/admission.ts';
import { AmphiError } from '../control/errors.ts';
import { CLOSE_CODES, closeReason, type CloseCode } from '../protocol/close-codes.ts';
import { encodeWaiting } from '../protocol/listener-line.ts';

export type DirectVerdict =
  | { readonly kind: 'admit'; readonly streamId: StreamId }
  /** `text` is the socket's first message: its number and place */
  | { readonly kind: 'wait'; readonly streamId: StreamId; readonly number: number; readonly text: string }
  | { readonly kind: 'refuse'; readonly code: CloseCode; readonly reason: string };

/** the verdict at once when the node tracks the room, else a promise of it (the room is read first) */
export type DirectJoin = (roomId: string) => DirectVerdict | Promise<DirectVerdict>;

/** WebSocket close reasons are at most 123 bytes of UTF-8 */
export function fitReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  let cut = text.slice(0, 120);
  while (new TextEncoder().encode(cut + '…').length > 123) cut = cut.slice(0, -1);
  return cut + '…';
}

function refusal(err: AmphiError): DirectVerdict {
  switch (err.code) {
    case 'room_not_found':
    case 'not_found':
      return { kind: 'refuse', code: CLOSE_CODES.streamNotFound, reason: 'no such room' };
    case 'room_ended':
      return { kind: 'refuse', code: CLOSE_CODES.roomEnded, reason: closeReason(CLOSE_CODES.roomEnded) };
    case 'unavailable': {
      const s = err.extra.retryAfterSeconds ?? 5;
      return { kind: 'refuse', code: CLOSE_CODES.overCapacity, reason: `over capacity: even the waiting line is full, try again in ${s} s` };
    }
    default:
      return { kind: 'refuse', code: CLOSE_CODES.forbidden, reason: fitReason(err.message) };
  }
}

export function directJoins(rooms: RoomService, log: Logger): DirectJoin {
  const verdictOf = (roomId: string, admission: DirectAdmission): DirectVerdict => {
    const streamId = asStreamId(roomId);
    if (admission.kind === 'admit') return { kind: 'admit', streamId };
    return { kind: 'wait', streamId, number: admission.number, text: encodeWaiting(admission) };
  };
  const failed = (roomId: string, err: unknown): DirectVerdict => {
    if (err instanceof AmphiError) return refusal(err);
    log.error({ err, roomId: roomId.slice(0, 80) }, 'unexpected error in a direct listener join');
    return { kind: 'refuse', code: CLOSE_CODES.serverError, reason: closeReason(CLOSE_CODES.serverError) };
  };
  return (roomId) => {
    try {
      const now = rooms.listenDirectNow(asRoomId(roomId));
      if (now !== null) return verdictOf(roomId, now);
    } catch (err) {
      return failed(roomId, err);
    }
    return rooms.listenDirect(asRoomId(roomId)).then(
      (admission) => verdictOf(roomId, admission),
      (err: unknown) => failed(roomId, err),
    );
  };
}
