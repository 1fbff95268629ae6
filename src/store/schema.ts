/**
 * @module store/schema — the tables as Kysely sees them, one interface per table, shared by the SQLite
 * and PostgreSQL stores. Times are integers, milliseconds since the epoch (`bigint` in PostgreSQL, read
 * back as JS numbers by the pool's int8 parser). A room is its domain state as JSON plus the few columns
 * that are queried; what can grow with the audience (hand raises) is rows of its own. Types only: must never hold queries or dialect-specific knowledge.
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
  /** the scheduled start of a room scheduled ahead (also after it started); null otherwise */
  readonly starts_at: number | null;
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

/** "remind me when this scheduled room starts" */
export interface RemindersTable {
  readonly room_id: string;
  readonly user_id: string;
  readonly at: number;
}

/** one in-app notice to one person; unique per (user, room, kind), which makes every fan-out exactly-once */
export interface NotificationsTable {
  readonly id: Generated<number>;
  readonly user_id: string;
  readonly kind: string;
  readonly room_id: string;
  /** who caused it (the host), null when the server did */
  readonly actor_id: string | null;
  readonly at: number;
  readonly read_at: number | null;
}

/** a durable fan-out of one notice about one room; `cursor` is the last recipient key done in `phase` */
export interface FanoutJobsTable {
  readonly id: Generated<number>;
  readonly room_id: string;
  readonly kind: string;
  readonly host_id: string;
  readonly phase: string;
  readonly cursor: string | null;
  readonly total: number;
  readonly notified: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly finished_at: number | null;
}

/** how many rooms of a host a person listened to (one per room), for the go-live waves */
export interface ListenCountsTable {
  readonly host_id: string;
  readonly listener_id: string;
  readonly listens: number;
  readonly last_room_id: string;
  readonly at: number;
}

/** one outbound webhook call to make (or made), retried with backoff; unique per (url, event, room) */
export interface WebhookDeliveriesTable {
  readonly id: Generated<number>;
  readonly url: string;
  readonly event: string;
  readonly room_id: string;
  /** the JSON body, exactly as signed and sent */
  readonly payload: string;
  readonly attempts: number;
  readonly next_at: number;
  /** pending, delivered or failed */
  readonly status: string;
  readonly last_error: string;
  readonly created_at: number;
  readonly delivered_at: number | null;
}

/** failed sign-ins counted in fixed windows, so a restart or another node sees the same count */
/** which node is a room's origin (lease-types.ts); not a record: left out of snapshot() */
export interface RoomLeasesTable {
  readonly room_id: string;
  readonly node_id: string;
  readonly epoch: number;
  readonly expires_at: number;
}

/** one raised hand (hand-types.ts); the queue is these rows, never the room's JSON */
export interface HandRaisesTable {
  readonly room_id: string;
  readonly user_id: string;
  readonly at: number;
  /** the host's order: 0 followed by the host, 1 spoke in the host's rooms before, 2 anyone else */
  readonly tier: number;
}

/** per room: hands up now, and a sequence number that rises with each change */
export interface HandCountsTable {
  readonly room_id: string;
  readonly count: number;
  readonly seq: number;
}

/** who has been on the stage of a host's rooms (first time), for the order of the host's queue */
export interface SpokeWithTable {
  readonly host_id: string;
  readonly user_id: string;
  readonly at: number;
}

export interface SignInAttemptsTable {
  /** what is counted (account-service.ts): an address, an account, or an account from one address */
  readonly subject: string;
  /** when the current window began; a window ends `windowMs` later */
  readonly started_at: number;
  readonly attempts: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  follows: FollowsTable;
  blocks: BlocksTable;
  rooms: RoomsTable;
  audit_log: AuditLogTable;
  reports: ReportsTable;
  reminders: RemindersTable;
  notifications: NotificationsTable;
  fanout_jobs: FanoutJobsTable;
  listen_counts: ListenCountsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sign_in_attempts: SignInAttemptsTable;
  room_leases: RoomLeasesTable;
  hand_raises: HandRaisesTable;
  hand_counts: HandCountsTable;
  spoke_with: SpokeWithTable;
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
  { table: 'reminders', orderBy: ['room_id', 'user_id'] },
  { table: 'notifications', orderBy: ['id'] },
  { table: 'fanout_jobs', orderBy: ['id'] },
  { table: 'listen_counts', orderBy: ['host_id', 'listener_id'] },
  { table: 'webhook_deliveries', orderBy: ['id'] },
  { table: 'sign_in_attempts', orderBy: ['subject'] },
  { table: 'hand_raises', orderBy: ['room_id', 'user_id'] },
  { table: 'hand_counts', orderBy: ['room_id'] },
  { table: 'spoke_with', orderBy: ['host_id', 'user_id'] },
];
