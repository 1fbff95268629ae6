/**
 * @module store/kysely-notify — NotifyStore over Kysely for SQLite and PostgreSQL: scheduled-room
 * listings, reminders, listen counts, notifications, fan-out jobs (each batch one transaction that also
 * moves the job's cursor) and webhook deliveries. Dialect differences come in as DialectParts. Never
 * decides a rule and never reads a clock: every time comes in as an argument.
 */
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { RoomId, UserId } from '../domain/ids.ts';
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { RoomState, RoomStatus } from '../domain/room-state.ts';
import { countRecipients, runBatch } from './fanout-batch.ts';
import type { DialectParts } from './dialect-parts.ts';
import type {
  FanoutBatch,
  FanoutJob,
  FanoutKind,
  FanoutPhase,
  NewNotification,
  NewWebhookDelivery,
  NotificationKind,
  NotifyStore,
  StoredNotification,
  WebhookAttempt,
  WebhookDelivery,
  WebhookStatus,
} from './notify-types.ts';
import { parseRoomState } from './rows.ts';
import type { Database, FanoutJobsTable, WebhookDeliveriesTable } from './schema.ts';
import { StoreError } from './types.ts';

const NEXT_PHASE: Readonly<Record<FanoutKind, Readonly<Record<Exclude<FanoutPhase, 'done'>, FanoutPhase>>>> = {
  room_live: { reminders: 'top', top: 'rest', rest: 'done' },
  room_cancelled: { reminders: 'done', top: 'done', rest: 'done' },
};

// columns hold only values this store wrote from the typed unions
const toJob = (r: Selectable<FanoutJobsTable>): FanoutJob => ({
  id: Number(r.id),
  roomId: asRoomId(r.room_id),
  kind: r.kind as FanoutKind,
  hostId: asUserId(r.host_id),
  phase: r.phase as FanoutPhase,
  total: Number(r.total),
  notified: Number(r.notified),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});

const toDelivery = (r: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: Number(r.id),
  url: r.url,
  event: r.event,
  roomId: asRoomId(r.room_id),
  payload: r.payload,
  at: Number(r.created_at),
  attempts: Number(r.attempts),
  nextAt: Number(r.next_at),
  status: r.status as WebhookStatus,
  lastError: r.last_error,
  deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
});

export class KyselyNotifyStore implements NotifyStore {
  readonly #db: Kysely<Database>;
  readonly #parts: DialectParts;

  constructor(db: Kysely<Database>, parts: DialectParts) {
    this.#db = db;
    this.#parts = parts;
  }

  async listScheduledByHost(hostId: UserId, limit: number): Promise<RoomState[]> {
    const rows = await this.#db
      .selectFrom('rooms')
      .select('state')
      .where('host_id', '=', hostId)
      .where('status', '=', 'scheduled')
      .orderBy('starts_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => parseRoomState(r.state));
  }

  async listScheduledFollowed(userId: UserId, limit: number): Promise<RoomState[]> {
    const rows = await this.#db
      .selectFrom('rooms')
      .innerJoin('follows', (j) => j.onRef('follows.followee', '=', 'rooms.host_id').on('follows.follower', '=', userId))
      .select('rooms.state')
      .where('rooms.status', '=', 'scheduled')
      .orderBy('rooms.starts_at')
      .orderBy('rooms.id')
      .limit(limit)
      .execute();
    return rows.map((r) => parseRoomState(r.state));
  }

  async listScheduledDue(before: number, limit: number): Promise<RoomId[]> {
    const rows = await this.#db
      .selectFrom('rooms')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('starts_at', '<=', before)
      .orderBy('starts_at')
      .limit(limit)
      .execute();
    return rows.map((r) => asRoomId(r.id));
  }

  async setReminder(roomId: RoomId, userId: UserId, at: number): Promise<void> {
    await this.#missingIsNotFound(
      this.#db
        .insertInto('reminders')
        .values({ room_id: roomId, user_id: userId, at })
        .onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
        .execute(),
      `no room ${roomId} or user ${userId}`,
    );
  }

  async removeReminder(roomId: RoomId, userId: UserId): Promise<void> {
    await this.#db.deleteFrom('reminders').where('room_id', '=', roomId).where('user_id', '=', userId).execute();
  }

  async reminders(roomId: RoomId, userId: UserId | null): Promise<{ count: number; mine: boolean }> {
    const row = await this.#db
      .selectFrom('reminders')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('user_id', '=', userId ?? '').then(1).else(0).end()).as('mine'),
      ])
      .where('room_id', '=', roomId)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), mine: Number(row.mine ?? 0) > 0 };
  }

  async countListen(hostId: UserId, listenerId: UserId, roomId: RoomId, at: number): Promise<void> {
    await this.#missingIsNotFound(
      sql`insert into listen_counts (host_id, listener_id, listens, last_room_id, at) values (${hostId}, ${listenerId}, 1, ${roomId}, ${at})
        on conflict (host_id, listener_id) do update set
          listens = listen_counts.listens + (case when listen_counts.last_room_id = excluded.last_room_id then 0 else 1 end),
          last_room_id = excluded.last_room_id, at = excluded.at`.execute(this.#db),
      `no user ${hostId} or ${listenerId}`,
    );
  }

  async listens(hostId: UserId, listenerId: UserId): Promise<number> {
    const row = await this.#db
      .selectFrom('listen_counts')
      .select('listens')
      .where('host_id', '=', hostId)
      .where('listener_id', '=', listenerId)
      .executeTakeFirst();
    return row === undefined ? 0 : Number(row.listens);
  }

  async addNotification(n: NewNotification): Promise<StoredNotification | null> {
    const row = await this.#missingIsNotFound(
      this.#db
        .insertInto('notifications')
        .values({ user_id: n.userId, kind: n.kind, room_id: n.roomId, actor_id: n.actorId, at: n.at, read_at: null })
        .onConflict((oc) => oc.columns(['user_id', 'room_id', 'kind']).doNothing())
        .returning('id')
        .executeTakeFirst(),
      `no room ${n.roomId} or user ${n.userId}`,
    );
    if (row === undefined) return null;
    const [stored] = await this.getNotifications([Number(row.id)]);
    return stored ?? null;
  }

  #notificationQuery() {
    return this.#db
      .selectFrom('notifications as n')
      .leftJoin('rooms as r', 'r.id', 'n.room_id')
      .select(['n.id', 'n.user_id', 'n.kind', 'n.room_id', 'n.actor_id', 'n.at', 'n.read_at', 'r.title', 'r.status', 'r.starts_at']);
  }

  async listNotifications(userId: UserId, opts: { readonly beforeId?: number; readonly limit: number }): Promise<StoredNotification[]> {
    let q = this.#notificationQuery().where('n.user_id', '=', userId);
    if (opts.beforeId !== undefined) q = q.where('n.id', '<', opts.beforeId);
    const rows = await q.orderBy('n.id', 'desc').limit(opts.limit).execute();
    return rows.map(toNotification);
  }

  async getNotifications(ids: readonly number[]): Promise<StoredNotification[]> {
    if (ids.length === 0) return [];
    const rows = await this.#notificationQuery().where('n.id', 'in', [...ids]).orderBy('n.id').execute();
    return rows.map(toNotification);
  }

  async unreadCount(userId: UserId): Promise<number> {
    const row = await this.#db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async markRead(userId: UserId, upTo: number | null, at: number): Promise<number> {
    let q = this.#db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (upTo !== null) q = q.where('id', '<=', upTo);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async createFanoutJob(job: { readonly roomId: RoomId; readonly kind: FanoutKind; readonly hostId: UserId; readonly at: number }): Promise<FanoutJob> {
    return this.#db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('fanout_jobs').selectAll().where('room_id', '=', job.roomId).where('kind', '=', job.kind).executeTakeFirst();
      if (existing !== undefined) return toJob(existing);
      const total = await countRecipients(trx, job.roomId, job.hostId, job.kind === 'room_live');
      await this.#missingIsNotFound(
        trx
          .insertInto('fanout_jobs')
          .values({ room_id: job.roomId, kind: job.kind, host_id: job.hostId, phase: 'reminders', cursor: null, total, notified: 0, created_at: job.at, updated_at: job.at, finished_at: null })
          .onConflict((oc) => oc.columns(['room_id', 'kind']).doNothing())
          .execute(),
        `no room ${job.roomId}`,
      );
      const row = await trx.selectFrom('fanout_jobs').selectAll().where('room_id', '=', job.roomId).where('kind', '=', job.kind).executeTakeFirstOrThrow();
      return toJob(row);
    });
  }

  async getFanoutJob(roomId: RoomId, kind: FanoutKind): Promise<FanoutJob | null> {
    const row = await this.#db.selectFrom('fanout_jobs').selectAll().where('room_id', '=', roomId).where('kind', '=', kind).executeTakeFirst();
    return row === undefined ? null : toJob(row);
  }

  async openFanoutJobs(): Promise<FanoutJob[]> {
    const rows = await this.#db.selectFrom('fanout_jobs').selectAll().where('phase', '<>', 'done').orderBy('id').execute();
    return rows.map(toJob);
  }

  async runFanoutBatch(jobId: number, size: number, at: number): Promise<FanoutBatch> {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`fan-out batch size must be a positive integer, got ${size}`);
    return this.#db.transaction().execute(async (trx) => {
      const select = trx.selectFrom('fanout_jobs').selectAll().where('id', '=', jobId);
      // PostgreSQL: two nodes working one job take turns, so a batch is never written twice
      const row = await (this.#parts.lockRoomRow ? select.forUpdate() : select).executeTakeFirst();
      if (row === undefined) throw new StoreError('not_found', `no fan-out job ${jobId}`);
      const job = toJob(row);
      if (job.phase === 'done') return { job, delivered: [] };
      const out = await runBatch(trx, { phase: job.phase, roomId: job.roomId, hostId: job.hostId, kind: job.kind, cursor: row.cursor, size, at });
      const phase = out.end === null ? NEXT_PHASE[job.kind][job.phase] : job.phase;
      const next = {
        phase,
        cursor: out.end,
        notified: job.notified + out.delivered.length,
        updated_at: at,
        finished_at: phase === 'done' ? at : null,
      };
      await trx.updateTable('fanout_jobs').set(next).where('id', '=', jobId).execute();
      return {
        job: { ...job, phase, notified: next.notified, updatedAt: at, finishedAt: next.finished_at },
        delivered: out.delivered.map((d) => ({ id: d.id, userId: asUserId(d.user_id) })),
      };
    });
  }

  async enqueueWebhooks(deliveries: readonly NewWebhookDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const rows = await this.#db
      .insertInto('webhook_deliveries')
      .values(
        deliveries.map((d) => ({
          url: d.url,
          event: d.event,
          room_id: d.roomId,
          payload: d.payload,
          attempts: 0,
          next_at: d.at,
          status: 'pending',
          last_error: '',
          created_at: d.at,
          delivered_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['url', 'event', 'room_id']).doNothing())
      .returning('id')
      .execute();
    return rows.length;
  }

  async dueWebhooks(now: number, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.#db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_at', '<=', now)
      .orderBy('next_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  async recordWebhookAttempt(id: number, attempt: WebhookAttempt): Promise<void> {
    const attempts = sql<number>`attempts + 1`;
    const set = attempt.ok
      ? { attempts, status: 'delivered', delivered_at: attempt.at, last_error: '' }
      : attempt.retryAt === null
        ? { attempts, status: 'failed', last_error: attempt.error.slice(0, 500) }
        : { attempts, next_at: attempt.retryAt, last_error: attempt.error.slice(0, 500) };
    await this.#db.updateTable('webhook_deliveries').set(set).where('id', '=', id).execute();
  }

  async listWebhookDeliveries(): Promise<WebhookDelivery[]> {
    const rows = await this.#db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();
    return rows.map(toDelivery);
  }

  async #missingIsNotFound<T>(write: Promise<T>, message: string): Promise<T> {
    try {
      return await write;
    } catch (error) {
      if (this.#parts.isForeignKeyViolation(error)) throw new StoreError('not_found', message, { cause: error });
      throw error;
    }
  }
}

interface NotificationRow {
  readonly id: number;
  readonly user_id: string;
  readonly kind: string;
  readonly room_id: string;
  readonly actor_id: string | null;
  readonly at: number;
  readonly read_at: number | null;
  readonly title: string | null;
  readonly status: string | null;
  readonly starts_at: number | null;
}

function toNotification(r: NotificationRow): StoredNotification {
  return {
    id: Number(r.id),
    userId: asUserId(r.user_id),
    kind: r.kind as NotificationKind,
    roomId: asRoomId(r.room_id),
    actorId: r.actor_id === null ? null : asUserId(r.actor_id),
    at: Number(r.at),
    readAt: r.read_at === null ? null : Number(r.read_at),
    room:
      r.title === null || r.status === null
        ? null
        : { title: r.title, status: r.status as RoomStatus, startsAt: r.starts_at === null ? null : Number(r.starts_at) },
  };
}
