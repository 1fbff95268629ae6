/**
 * @module store/types — the persistence interface every part of Amphi talks to. Two implementations
 * sit beside it (sqlite.ts, the default; postgres.ts), both built on one Kysely schema and one set of
 * migrations, and both must pass the same contract suite (contract.ts). A room is stored as its
 * domain state (JSON) plus a few indexed columns, and changed only through `mutateRoom`, which runs
 * the caller's pure decision inside a transaction holding the room's row lock: concurrent decisions
 * on one room are serialised, on one node or many. Never decides a rule itself.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import type { AuditEntry } from '../domain/room-events.ts';
import type { RoomState, RoomStatus } from '../domain/room-state.ts';
import type { NotifyStore } from './notify-types.ts';
import type { LeaseStore } from './lease-types.ts';
import type { HandStore } from './hand-types.ts';

/** a room's state and the version the store holds it at */
export interface VersionedRoom {
  readonly state: RoomState;
  readonly version: number;
}

export interface User {
  readonly id: UserId;
  /** as typed at sign-up; uniqueness ignores case */
  readonly handle: string;
  readonly displayName: string;
  readonly createdAt: number;
}

export interface UserWithSecret extends User {
  readonly passwordHash: string;
}

export interface Session {
  /** sha-256 of the cookie token; the token itself is never stored */
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface Report {
  readonly roomId: RoomId;
  readonly reporter: UserId;
  readonly target: UserId | null;
  readonly reason: string;
  readonly at: number;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly roomId: RoomId;
  /** increasing per store; the order entries were written */
  readonly seq: number;
}

export interface AttemptWindow {
  readonly startedAt: number;
  readonly attempts: number;
}

/** What a mutation callback returns: write the new state (and audit entries) or leave the room as it is. */
export type Mutation<R> =
  | { readonly write: true; readonly state: RoomState; readonly audit: readonly AuditEntry[]; readonly result: R }
  | { readonly write: false; readonly result: R };

export type StoreErrorCode = 'handle_taken' | 'room_exists' | 'not_found' | 'unavailable';

/** The one error the store throws on purpose; anything else is a bug or an outage. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Store {
  /** 'sqlite' or 'postgres', for logs and /healthz */
  readonly kind: 'sqlite' | 'postgres';

  // accounts
  /** throws StoreError('handle_taken') when the handle exists in any letter case */
  createUser(user: UserWithSecret): Promise<void>;
  getUser(id: UserId): Promise<User | null>;
  /** case-insensitive */
  getUserByHandle(handle: string): Promise<UserWithSecret | null>;
  /** in the order asked, each found user once; unknown ids are left out */
  getUsers(ids: readonly UserId[]): Promise<User[]>;

  /** throws StoreError('not_found') when the user does not exist */
  createSession(session: Session): Promise<void>;
  /** null when missing or expired at `now` */
  getSession(tokenHash: string, now: number): Promise<Session | null>;
  deleteSession(tokenHash: string): Promise<void>;

  /** idempotent; throws StoreError('not_found') when either user does not exist */
  follow(follower: UserId, followee: UserId, at: number): Promise<void>;
  unfollow(follower: UserId, followee: UserId): Promise<void>;
  isFollowing(follower: UserId, followee: UserId): Promise<boolean>;
  followCounts(userId: UserId): Promise<{ followers: number; following: number }>;

  /**
   * Counts one sign-in attempt for `subject`, atomically (parallel attempts each get their own count):
   * in its current window, or in a new one starting at `now` when the last began `windowMs` or more ago.
   * Returns the window after counting.
   */
  countSignInAttempt(subject: string, now: number, windowMs: number): Promise<AttemptWindow>;
  /** takes back one counted attempt (it succeeded); nothing when none is counted */
  uncountSignInAttempt(subject: string): Promise<void>;
  clearSignInAttempts(subject: string): Promise<void>;
  /** forgets every window that began at or before `before` */
  pruneSignInAttempts(before: number): Promise<void>;

  /** idempotent; throws StoreError('not_found') when either user does not exist */
  block(blocker: UserId, blocked: UserId, at: number): Promise<void>;
  unblock(blocker: UserId, blocked: UserId): Promise<void>;
  isBlocked(blocker: UserId, blocked: UserId): Promise<boolean>;

  // rooms
  /** throws StoreError('room_exists') on a duplicate id; the room's version is then 1 */
  createRoom(state: RoomState, audit: readonly AuditEntry[]): Promise<void>;
  getRoom(id: RoomId): Promise<RoomState | null>;
  /** the room with its version (1 when created, +1 on every write): what room events carry so nodes drop stale ones */
  getRoomVersioned(id: RoomId): Promise<VersionedRoom | null>;
  /** rooms in the given statuses, newest first */
  listRooms(statuses: readonly RoomStatus[], limit: number): Promise<RoomState[]>;
  /**
   * Runs `decide` on the room's current state inside a transaction that holds the room's lock, and
   * when it asks to write, stores the new state and its audit entries atomically. Returns null when the
   * room does not exist. `decide` must be pure and quick: it may run again after a serialisation retry.
   */
  mutateRoom<R>(id: RoomId, decide: (state: RoomState) => Mutation<R>): Promise<{ state: RoomState; result: R; version: number } | null>;

  /** the room's latest `limit` entries, oldest first (ascending seq) */
  listAudit(roomId: RoomId, limit: number): Promise<StoredAuditEntry[]>;
  /** throws StoreError('not_found') when the room does not exist */
  addReport(report: Report): Promise<void>;
  /** oldest first */
  listReports(roomId: RoomId): Promise<Report[]>;

  /** schedules, reminders, notifications, fan-out jobs, webhooks (notify-types.ts) */
  readonly notify: NotifyStore;
  /** which node is each room's origin (lease-types.ts) */
  readonly leases: LeaseStore;
  /** the rooms' hand-raise queues, as rows (hand-types.ts) */
  readonly hands: HandStore;

  /** every row of every table, ordered, for tests that prove a rejected request changed nothing */
  snapshot(): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}
