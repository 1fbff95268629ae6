/**
 * @module anonymous-ticket — the listen ticket for signed-out listeners, served by the listener port
 * (uWebSockets.js) at the same path as the API's, GET /api/rooms/:roomId/listen[?ticket=]. In a join
 * storm nearly everyone is signed out, and the API's route pays for Node's HTTP server and a fetch
 * Request per call (most of ~300 µs); here the same rules answer for a few µs of JavaScript. It never
 * reads a cookie (signed-in people use the API, which knows their blocks) and answers exactly the API's
 * JSON, errors included, so a client can use either.
 */
import type { Logger } from 'pino';
import { asRoomId, type RoomId } from '../domain/ids.ts';
import type { RoomService } from '../control/room-service.ts';
import { AmphiError } from '../control/errors.ts';
import { LISTENER_PATH } from '../protocol/listener-query.ts';
import { ListenTicketQuery } from '../protocol/api-schemas.ts';
import { STATUS_OF, errorBody } from './error-status.ts';
import { LINE_PATH } from './line-endpoint.ts';
import { checkParam, validate } from './request-input.ts';

export interface TicketAnswer {
  readonly status: number;
  readonly body: string;
  readonly retryAfterSeconds?: number;
}

/** the path segment as the API's router gives it: decoded, 1-64 characters, else 404 like the API */
function roomIdOf(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    id = '';
  }
  if (id.length === 0 || id.length > 64) throw AmphiError.roomNotFound();
  return checkParam('roomId', id);
}

export type AnonymousTickets = (roomId: string, query: URLSearchParams, origin: string) => Promise<TicketAnswer>;

/** `edgeFor`: the listener origin of another edge an admitted listener should use, or null for this node */
export function anonymousTickets(rooms: RoomService, log: Logger, edgeFor: (roomId: RoomId, avoid: string | null) => string | null = () => null): AnonymousTickets {
  return async (rawRoomId, query, origin) => {
    try {
      const roomId = asRoomId(roomIdOf(rawRoomId));
      const q = validate(ListenTicketQuery, Object.fromEntries(query));
      const ticket = await rooms.listenTicket(roomId, null, q.ticket ?? null);
      // the line is this node's: a waiting listener stays here; an admitted one goes to the edge chosen
      if (ticket.admission === 'waiting') return { status: 200, body: JSON.stringify({ ...ticket, linePath: LINE_PATH, lineUrl: origin + LINE_PATH }) };
      const path = `${LISTENER_PATH}?token=${encodeURIComponent(ticket.token)}`;
      return { status: 200, body: JSON.stringify({ ...ticket, path, url: (edgeFor(roomId, q.avoid ?? null) ?? origin) + path }) };
    } catch (err) {
      if (err instanceof AmphiError) {
        return {
          status: STATUS_OF[err.code],
          body: JSON.stringify(errorBody(err.code, err.message, err.extra.field)),
          ...(err.extra.retryAfterSeconds !== undefined && { retryAfterSeconds: err.extra.retryAfterSeconds }),
        };
      }
      log.error({ err, roomId: rawRoomId.slice(0, 80) }, 'unexpected error in a listen ticket');
      return { status: 500, body: JSON.stringify(errorBody('internal', 'Something went wrong on our side. Try again.')) };
    }
  };
}
