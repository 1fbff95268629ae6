/**
 * @module routes-listen — how people get the room's audio over HTTP: a listen ticket (signed join
 * token for the listener WebSocket of the edge chosen for them, or a place in this node's waiting
 * line), and the program as a plain Ogg/Opus stream at GET /rooms/:roomId/live.ogg for any player and
 * for browsers without WebCodecs. Both ask the room service whether the person may enter; the audio
 * itself comes from the shared broadcast. A signed-in person's Ogg stream ends the moment they are
 * removed or blocked.
 */
import type { Hono } from 'hono';
import { asRoomId, type RoomId } from '../domain/ids.ts';
import type { RoomService } from '../control/room-service.ts';
import type { OggBroadcast, OggSink } from '../delivery/ogg-broadcast.ts';
import { LISTENER_PATH } from '../protocol/listener-query.ts';
import { AmphiError } from '../control/errors.ts';
import { on, param, type AppEnv } from './app-env.ts';
import { validate } from './request-input.ts';
import { ListenTicketQuery } from '../protocol/api-schemas.ts';
import { LINE_PATH } from './line-endpoint.ts';
import type { Revocations } from '../bus/revocations.ts';
import { ListenerOwners } from './listener-owners.ts';

export function registerListenRoutes(
  app: Hono<AppEnv>,
  rooms: RoomService,
  ogg: OggBroadcast,
  listenerOrigin: (requestHost: string | undefined) => string,
  ticketOrigin: (requestHost: string | undefined) => string | null,
  revocations: Revocations,
  now: () => number,
  /** the listener origin of another edge an admitted listener should use, or null for this node */
  edgeFor: (roomId: RoomId, avoid: string | null) => string | null,
): void {
  const oggOwners = new ListenerOwners(revocations);
  on(app, 'listenTicket', async (c) => {
    const q = validate(ListenTicketQuery, c.req.query());
    const roomId = asRoomId(param(c, 'roomId'));
    const ticket = await rooms.listenTicket(roomId, c.get('user'), q.ticket ?? null);
    const origin = listenerOrigin(c.req.header('host'));
    // signed out, the next ticket is cheaper from the listener port (anonymous-ticket.ts), which answers the same
    const fast = c.get('user') === null ? ticketOrigin(c.req.header('host')) : null;
    const next = fast === null ? {} : { ticketOrigin: fast };
    if (ticket.admission === 'waiting') return c.json({ ...ticket, linePath: LINE_PATH, lineUrl: origin + LINE_PATH, ...next });
    const path = `${LISTENER_PATH}?token=${encodeURIComponent(ticket.token)}`;
    return c.json({ ...ticket, path, url: (edgeFor(roomId, q.avoid ?? null) ?? origin) + path, ...next });
  });

  app.get('/rooms/:roomId/live.ogg', async (c) => {
    const roomId = asRoomId(param(c, 'roomId'));
    const user = c.get('user');
    const since = now();
    await rooms.admit(roomId, user);
    // removed or blocked while the rules were read: asking them again gives the refusal they now hold
    if (oggOwners.refusal(roomId, user?.id ?? null, since) !== null) await rooms.admit(roomId, user);
    if (!ogg.has(roomId)) throw new AmphiError('room_ended', 'This room has ended.');
    let sink: OggSink | null = null;
    let forget: (() => void) | null = null;
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          let ended = false;
          const end = (): void => {
            if (ended) return;
            ended = true;
            forget?.();
            if (sink) ogg.removeSink(roomId, sink);
            controller.close();
          };
          sink = {
            write: (chunk) => controller.enqueue(chunk),
            buffered: () => -(controller.desiredSize ?? 0),
            end,
          };
          if (user !== null) forget = oggOwners.add(roomId, user.id, { close: end });
          ogg.addSink(roomId, sink);
        },
        cancel() {
          forget?.();
          if (sink) ogg.removeSink(roomId, sink);
        },
      },
      { highWaterMark: 0, size: (chunk) => chunk.byteLength },
    );
    return c.body(body, 200, {
      'content-type': 'audio/ogg',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });
}
