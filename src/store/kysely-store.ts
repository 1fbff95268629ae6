/**
 * @module store/kysely-store — the Store over a Kysely<Database>: one set of queries for SQLite and
 * PostgreSQL, with the few dialect differences (error codes, whether to lock the room row, what to
 * retry) injected as `DialectParts`. `mutateRoom` reads, decides and writes a room inside one
 * transaction that holds the room's lock. Never decides a rule itself and never reads the domain's
 * clock; `clock` only stamps `rooms.updated_at`.
 */
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { RoomId, UserId } from '../domain/ids.ts';
import type { AuditEntry } from '../domain/room-events.ts';
import type { RoomState, RoomStatus } from '../domain/room-state.ts';
import { TABLE_ORDER } from './schema.ts';
import type { AuditLogTable, Database, ReportsTable, UsersTable } from './schema.ts';
import type { DialectParts } from './dialect-parts.ts';
import { StoreError } from './types.ts';
import type { AttemptWindow, Mutation, Report, Session, Store, StoredAuditEntry, User, UserWithSecret, VersionedRoom } from './types.ts';
import { KyselyNotifyStore } from './kysely-notify.ts';
import type { NotifyStore } from './notify-types.ts';
import { KyselyLeaseStore } from './kysely-leases.ts';
import type { LeaseStore } from './lease-types.ts';
import { KyselyHandStore } from './kysely-hands.ts';
import type { HandStore } from './hand-types.ts';
import { toAuditEntry, toReport, toSession, toUser, toUserWithSecret, parseRoomState } from './rows.ts';

export type { DialectParts } from './dialect-parts.ts';

export interface KyselyStoreOptions {
  /** stamps rooms.updated_at; defaults to Date.now */
  readonly clock?: () => number;
  /** how many times mutateRoom runs a transaction that failed with a retryable error */
  readonly maxAttempts?: number;
}

/** Database errors carry their code as a string property (`SQLITE_CONSTRAINT_UNIQUE`, `23505`). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code: unknown = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

const ID_CHUNK = 500;

export class KyselyStore implements Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly notify: NotifyStore;
  readonly leases: LeaseStore;
  readonly hands: HandStore;
  readonly #db: Kysely<Database>;
  readonly #parts: DialectParts;
  readonly #clock: () => number;
  readonly #maxAttempts: number;
  #closing: Promise<void> | null = null;

  constructor(db: Kysely<Database>, parts: DialectParts, options: KyselyStoreOptions = {}) {
    this.#db = db;
    this.#parts = parts;
    this.kind = parts.kind;
    this.notify = new KyselyNotifyStore(db, parts);
    this.leases = new KyselyLeaseStore(db);
    this.hands = new KyselyHandStore(db);
    this.#clock = options.clock ?? Date.now;
    this.#maxAttempts = options.maxAttempts ?? 5;
  }

  // accounts

  async createUser(user: UserWithSecret): Promise<void> {
    const row: UsersTable = {
      id: user.id,
      handle: user.handle,
      handle_lower: user.handle.toLowerCase(),
      display_name: user.displayName,
      password_hash: user.passwordHash,
      created_at: user.createdAt,
    };
    try {
      await this.#db.insertInto('users').values(row).execute();
    } catch (error) {
      if (this.#parts.isUniqueViolation(error)) {
        const byHandle = await this.#db
          .selectFrom('users')
          .select('id')
          .where('handle_lower', '=', row.handle_lower)
          .executeTakeFirst();
        if (byHandle !== undefined) {
          throw new StoreError('handle_taken', `the handle ${user.handle} is taken`, { cause: error });
        }
      }
      throw error;
    }
  }

  async getUser(id: UserId): Promise<User | null> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toUser(row);
  }

  async getUserByHandle(handle: string): Promise<UserWithSecret | null> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('handle_lower', '=', handle.toLowerCase())
      .executeTakeFirst();
    return row === undefined ? null : toUserWithSecret(row);
  }

  /** In the order asked, each found user once; unknown ids are left out. */
  async getUsers(ids: readonly UserId[]): Promise<User[]> {
    const unique = [...new Set(ids)];
    const found = new Map<string, User>();
    for (let i = 0; i < unique.length; i += ID_CHUNK) {
      const rows = await this.#db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', unique.slice(i, i + ID_CHUNK))
        .execute();
      for (const row of rows) found.set(row.id, toUser(row));
    }
    return unique.flatMap((id) => found.get(id) ?? []);
  }

  async createSession(session: Session): Promise<void> {
    await this.#missingIsNotFound(
      this.#db
        .insertInto('sessions')
        .values({
          token_hash: session.tokenHash,
          user_id: session.userId,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute(),
      `no user ${session.userId}`,
    );
  }

  async getSession(tokenHash: string, now: number): Promise<Session | null> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row === undefined ? null : toSession(row);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async countSignInAttempt(subject: string, now: number, windowMs: number): Promise<AttemptWindow> {
    // one statement on both dialects: the upsert's row lock makes parallel counts add up
    const ended = sql<boolean>`${sql.ref('sign_in_attempts.started_at')} <= ${now - windowMs}`;
    const row = await this.#db
      .insertInto('sign_in_attempts')
      .values({ subject, started_at: now, attempts: 1 })
      .onConflict((oc) =>
        oc.column('subject').doUpdateSet({
          started_at: sql<number>`case when ${ended} then ${now} else ${sql.ref('sign_in_attempts.started_at')} end`,
          attempts: sql<number>`case when ${ended} then 1 else ${sql.ref('sign_in_attempts.attempts')} + 1 end`,
        }),
      )
      .returning(['started_at', 'attempts'])
      .executeTakeFirstOrThrow();
    return { startedAt: Number(row.started_at), attempts: Number(row.attempts) };
  }

  async uncountSignInAttempt(subject: string): Promise<void> {
    await this.#db
      .updateTable('sign_in_attempts')
      .set({ attempts: sql<number>`${sql.ref('attempts')} - 1` })
      .where('subject', '=', subject)
      .where('attempts', '>', 0)
      .execute();
  }

  async clearSignInAttempts(subject: string): Promise<void> {
    await this.#db.deleteFrom('sign_in_attempts').where('subject', '=', subject).execute();
  }

  async pruneSignInAttempts(before: number): Promise<void> {
    await this.#db.deleteFrom('sign_in_attempts').where('started_at', '<=', before).execute();
  }

  async follow(follower: UserId, followee: UserId, at: number): Promise<void> {
    await this.#missingIsNotFound(
      this.#db
        .insertInto('follows')
        .values({ follower, followee, at })
        .onConflict((oc) => oc.columns(['follower', 'followee']).doNothing())
        .execute(),
      `no user ${follower} or ${followee}`,
    );
  }

  async unfollow(follower: UserId, followee: UserId): Promise<void> {
    await this.#db.deleteFrom('follows').where('follower', '=', follower).where('followee', '=', followee).execute();
  }

  async isFollowing(follower: UserId, followee: UserId): Promise<boolean> {
    const row = await this.#db
      .selectFrom('follows')
      .select('at')
      .where('follower', '=', follower)
      .where('followee', '=', followee)
      .executeTakeFirst();
    return row !== undefined;
  }

  async followCounts(userId: UserId): Promise<{ followers: number; following: number }> {
    const { count } = this.#db.fn;
    const followers = await this.#db
      .selectFrom('follows')
      .select(count<number>('follower').as('n'))
      .where('followee', '=', userId)
      .executeTakeFirstOrThrow();
    const following = await this.#db
      .selectFrom('follows')
      .select(count<number>('followee').as('n'))
      .where('follower', '=', userId)
      .executeTakeFirstOrThrow();
    return { followers: Number(followers.n), following: Number(following.n) };
  }

  async block(blocker: UserId, blocked: UserId, at: number): Promise<void> {
    await this.#missingIsNotFound(
      this.#db
        .insertInto('blocks')
        .values({ blocker, blocked, at })
        .onConflict((oc) => oc.columns(['blocker', 'blocked']).doNothing())
        .execute(),
      `no user ${blocker} or ${blocked}`,
    );
  }

  async unblock(blocker: UserId, blocked: UserId): Promise<void> {
    await this.#db.deleteFrom('blocks').where('blocker', '=', blocker).where('blocked', '=', blocked).execute();
  }

  async isBlocked(blocker: UserId, blocked: UserId): Promise<boolean> {
    const row = await this.#db
      .selectFrom('blocks')
      .select('at')
      .where('blocker', '=', blocker)
      .where('blocked', '=', blocked)
      .executeTakeFirst();
    return row !== undefined;
  }

  // rooms

  async createRoom(state: RoomState, audit: readonly AuditEntry[]): Promise<void> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        await trx
          .insertInto('rooms')
          .values({
            id: state.id,
            status: state.status,
            created_by: state.createdBy,
            host_id: state.hostId,
            title: state.title,
            created_at: state.createdAt,
            starts_at: state.schedule?.startsAt ?? null,
            updated_at: this.#clock(),
            version: 1,
            state: JSON.stringify(state),
          })
          .execute();
        await insertAudit(trx, state.id, audit);
      });
    } catch (error) {
      if (this.#parts.isUniqueViolation(error)) {
        throw new StoreError('room_exists', `a room with id ${state.id} exists`, { cause: error });
      }
      throw error;
    }
  }

  async getRoom(id: RoomId): Promise<RoomState | null> {
    const row = await this.#db.selectFrom('rooms').select('state').where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : parseRoomState(row.state);
  }

  async getRoomVersioned(id: RoomId): Promise<VersionedRoom | null> {
    const row = await this.#db.selectFrom('rooms').select(['state', 'version']).where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : { state: parseRoomState(row.state), version: Number(row.version) };
  }

  async listRooms(statuses: readonly RoomStatus[], limit: number): Promise<RoomState[]> {
    if (statuses.length === 0 || limit <= 0) return [];
    const rows = await this.#db
      .selectFrom('rooms')
      .select('state')
      .where('status', 'in', [...statuses])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => parseRoomState(row.state));
  }

  async mutateRoom<R>(
    id: RoomId,
    decide: (state: RoomState) => Mutation<R>,
  ): Promise<{ state: RoomState; result: R; version: number } | null> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#db.transaction().execute((trx) => this.#mutateIn(trx, id, decide));
      } catch (error) {
        if (attempt >= this.#maxAttempts || !this.#parts.isRetryable(error)) throw error;
      }
    }
  }

  async #mutateIn<R>(
    trx: Transaction<Database>,
    id: RoomId,
    decide: (state: RoomState) => Mutation<R>,
  ): Promise<{ state: RoomState; result: R; version: number } | null> {
    const select = trx.selectFrom('rooms').select(['state', 'version']).where('id', '=', id);
    const row = await (this.#parts.lockRoomRow ? select.forUpdate() : select).executeTakeFirst();
    if (row === undefined) return null;
    const before = parseRoomState(row.state);
    const mutation = decide(before);
    if (!mutation.write) return { state: before, result: mutation.result, version: Number(row.version) };
    const after = mutation.state;
    if (after.id !== id) throw new TypeError(`mutateRoom(${id}): decide returned the state of room ${after.id}`);
    await trx
      .updateTable('rooms')
      .set({
        state: JSON.stringify(after),
        version: Number(row.version) + 1,
        status: after.status,
        host_id: after.hostId,
        title: after.title,
        starts_at: after.schedule?.startsAt ?? null,
        updated_at: this.#clock(),
      })
      .where('id', '=', id)
      .execute();
    await insertAudit(trx, id, mutation.audit);
    return { state: after, result: mutation.result, version: Number(row.version) + 1 };
  }

  /** The latest `limit` entries of the room, oldest first. */
  async listAudit(roomId: RoomId, limit: number): Promise<StoredAuditEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.#db
      .selectFrom('audit_log')
      .selectAll()
      .where('room_id', '=', roomId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map(toAuditEntry);
  }

  async addReport(report: Report): Promise<void> {
    const row: Omit<ReportsTable, 'id'> = {
      room_id: report.roomId,
      reporter: report.reporter,
      target: report.target,
      reason: report.reason,
      at: report.at,
    };
    await this.#missingIsNotFound(this.#db.insertInto('reports').values(row).execute(), `no room ${report.roomId}`);
  }

  /** Oldest first. */
  async listReports(roomId: RoomId): Promise<Report[]> {
    const rows = await this.#db.selectFrom('reports').selectAll().where('room_id', '=', roomId).orderBy('id').execute();
    return rows.map(toReport);
  }

  async snapshot(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const { table, orderBy } of TABLE_ORDER) {
      const order = sql.join(orderBy.map((c) => sql.ref(c)));
      const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${order}`.execute(
        this.#db,
      );
      out[table] = result.rows;
    }
    return out;
  }

  /** Idempotent: every call waits for the same close. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#db.destroy();
      await this.#parts.afterClose?.();
    })();
    return this.#closing;
  }

  /** A write that names a missing user or room fails its foreign key: that is `not_found`, not an outage. */
  async #missingIsNotFound<T>(write: Promise<T>, message: string): Promise<T> {
    try {
      return await write;
    } catch (error) {
      if (this.#parts.isForeignKeyViolation(error)) throw new StoreError('not_found', message, { cause: error });
      throw error;
    }
  }
}

async function insertAudit(trx: Transaction<Database>, roomId: RoomId, audit: readonly AuditEntry[]): Promise<void> {
  if (audit.length === 0) return;
  const rows: Array<Omit<AuditLogTable, 'seq'>> = audit.map((a) => ({
    room_id: roomId,
    actor: a.actor,
    target: a.target,
    action: a.action,
    reason: a.reason,
    at: a.at,
  }));
  // one statement keeps the entries' order in their seq values on both dialects
  await trx.insertInto('audit_log').values(rows).execute();
}
