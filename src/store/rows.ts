/**
 * @module store/rows — turns table rows into the Store's values (snake_case columns to camelCase,
 * ids to their branded types, stored JSON to RoomState). Pure conversions: must never query.
 */
import type { Selectable } from 'kysely';
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { AuditAction } from '../domain/room-events.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { AuditLogTable, ReportsTable, SessionsTable, UsersTable } from './schema.ts';
import type { Report, Session, StoredAuditEntry, User, UserWithSecret } from './types.ts';

export const toUser = (row: Selectable<UsersTable>): User => ({
  id: asUserId(row.id),
  handle: row.handle,
  displayName: row.display_name,
  createdAt: Number(row.created_at),
});

export const toUserWithSecret = (row: Selectable<UsersTable>): UserWithSecret => ({
  ...toUser(row),
  passwordHash: row.password_hash,
});

export const toSession = (row: Selectable<SessionsTable>): Session => ({
  tokenHash: row.token_hash,
  userId: asUserId(row.user_id),
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
});

const optionalUser = (id: string | null) => (id === null ? null : asUserId(id));

export const toAuditEntry = (row: Selectable<AuditLogTable>): StoredAuditEntry => ({
  roomId: asRoomId(row.room_id),
  seq: Number(row.seq),
  actor: optionalUser(row.actor),
  target: optionalUser(row.target),
  // written only from AuditEntry values, so the column holds AuditAction strings
  action: row.action as AuditAction,
  reason: row.reason,
  at: Number(row.at),
});

export const toReport = (row: Selectable<ReportsTable>): Report => ({
  roomId: asRoomId(row.room_id),
  reporter: asUserId(row.reporter),
  target: optionalUser(row.target),
  reason: row.reason,
  at: Number(row.at),
});

/** The state column is written only by this store from a RoomState; a row that is not one is corruption. */
export function parseRoomState(json: string): RoomState {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'string') {
    throw new TypeError('a stored room state is not a room (corrupt rooms.state row)');
  }
  // rooms written before scheduling existed carry no schedule: they were opened at once
  return ('schedule' in value ? value : { ...value, schedule: null }) as RoomState;
}
