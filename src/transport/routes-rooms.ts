/**
 * @module routes-rooms — HTTP handlers for rooms: create, list, read, change details, take any action,
 * read the audit log. Each validates its input with protocol's schemas and hands a domain action to the
 * room service; the answer is the room as the caller now sees it.
 */
import type { Hono } from 'hono';
import { asRoomId } from '../domain/ids.ts';
import { AuditQuery, CreateRoomBody, HandsQuery, ListRoomsQuery, RoomActionBody, UpdateRoomBody } from '../protocol/api-schemas.ts';
import type { RoomService } from '../control/room-service.ts';
import { on, param, requireUser, type AppEnv } from './app-env.ts';
import { readJson, validate } from './request-input.ts';
import { actionFromWire, updateFromWire } from './wire-to-action.ts';

export function registerRoomRoutes(app: Hono<AppEnv>, rooms: RoomService): void {
  on(app, 'createRoom', async (c) => {
    const body = validate(CreateRoomBody, await readJson(c.req));
    return c.json(await rooms.create(requireUser(c), body), 201);
  });

  on(app, 'listRooms', async (c) => {
    const q = validate(ListRoomsQuery, c.req.query());
    return c.json({ rooms: await rooms.list(q.status, q.limit) });
  });

  on(app, 'getRoom', async (c) => c.json(await rooms.get(asRoomId(param(c, 'roomId')), c.get('user'))));

  on(app, 'updateRoom', async (c) => {
    const user = requireUser(c);
    const roomId = asRoomId(param(c, 'roomId'));
    const body = validate(UpdateRoomBody, await readJson(c.req));
    await rooms.act(roomId, { kind: 'user', userId: user.id }, updateFromWire(body));
    return c.json(await rooms.viewFor(roomId, user));
  });

  on(app, 'roomAction', async (c) => {
    const user = requireUser(c);
    const roomId = asRoomId(param(c, 'roomId'));
    const body = validate(RoomActionBody, await readJson(c.req));
    await rooms.act(roomId, { kind: 'user', userId: user.id }, actionFromWire(body));
    return c.json(await rooms.viewFor(roomId, user));
  });

  on(app, 'roomHands', async (c) => {
    const q = validate(HandsQuery, c.req.query());
    return c.json(await rooms.handsPage(asRoomId(param(c, 'roomId')), requireUser(c), q));
  });

  on(app, 'roomAudit', async (c) => {
    const { limit } = validate(AuditQuery, c.req.query());
    return c.json({ entries: await rooms.audit(asRoomId(param(c, 'roomId')), requireUser(c), limit) });
  });
}
