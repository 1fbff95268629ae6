/**
 * @module store/schema — the tables as Kysely sees them, one interface per table, shared by the SQLite
 * and PostgreSQL stores. Times are integers, milliseconds since the epoch (`bigint` in PostgreSQL, read
 * back as JS numbers by the pool's int8 parser). A room is its domain state as JSON plus the few columns
 * that are queried. Types only: must never hold queries or dialect-specific knowledge.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  readonly id: string;
  /** as typed at sign-up */
  readonly handle: string;
  /** unique: handles are unique ignoring case */
  readonly handle_lower: string;
  readonly display_name: string;
  readonly password_hash: string;
  readonly created_at: number;
}

export interface SessionsTable {
  readonly token_hash: string;
  readonly user_id: string;
  readonly created_at: number;
  readonly expires_at: number;
}

export interface FollowsTable {
  readonly follower: string;
  readonly followee: string;
  readonly at: number;
}

export interface BlocksTable {
  readonly blocker: string;
  readonly blocked: string;
  readonly at: number;
}

export interface RoomsTable {
  readonly id: string;
  readonly status: string;
  readonly created_by: string;
  readonly host_id: string;
  readonly title: string;
  readonly created_at: number;
  readonly updated_at: number;
  /** +1 on every write; lets readers tell two states of one room apart */
  readonly version: number;
  /** JSON of the domain's RoomState */
  readonly state: string;
}

export interface AuditLogTable {
  readonly seq: Generated<number>;
  readonly room_id: string;
  readonly actor: string | null;
  readonly target: string | null;
  readonly action: string;
  readonly reason: string;
  readonly at: number;
}

export interface ReportsTable {
  readonly id: Generated<number>;
  readonly room_id: string;
  readonly reporter: string;
  readonly target: string | null;
  readonly reason: string;
  readonly at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  follows: FollowsTable;
  blocks: BlocksTable;
  rooms: RoomsTable;
  audit_log: AuditLogTable;
  reports: ReportsTable;
}

/** Every table, in the order snapshot() lists them, with the columns that order its rows. */
export const TABLE_ORDER: ReadonlyArray<{ readonly table: keyof Database; readonly orderBy: readonly string[] }> = [
  { table: 'users', orderBy: ['id'] },
  { table: 'sessions', orderBy: ['token_hash'] },
  { table: 'follows', orderBy: ['follower', 'followee'] },
  { table: 'blocks', orderBy: ['blocker', 'blocked'] },
  { table: 'rooms', orderBy: ['id'] },
  { table: 'audit_log', orderBy: ['seq'] },
  { table: 'reports', orderBy: ['id'] },
];
