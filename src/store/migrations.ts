/**
 * @module store/migrations — the one set of schema migrations for both SQLite and PostgreSQL, as Kysely
 * Migration objects in code (no filesystem lookup, so a bundled or installed Amphi migrates the same),
 * and `migrateToLatest`, which applies them through Kysely's Migrator. Written with the schema builder;
 * the only dialect difference (how an auto-increment key is declared) goes through `autoIncrementKey`.
 * Never edit a migration that has shipped: add the next one.
 */
import { Migrator } from 'kysely';
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration, MigrationProvider } from 'kysely';
import type { Database } from './schema.ts';
import { StoreError } from './types.ts';

export type DialectKind = 'sqlite' | 'postgres';

/** SQLite: INTEGER PRIMARY KEY AUTOINCREMENT (never reuses a key); PostgreSQL: bigint identity. */
function autoIncrementKey<T extends string>(
  kind: DialectKind,
  table: CreateTableBuilder<T, never>,
  column: string,
): CreateTableBuilder<T, never> {
  return kind === 'sqlite'
    ? table.addColumn(column, 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
    : table.addColumn(column, 'bigint', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedAlwaysAsIdentity());
}

/** The migrations, keyed by name; names sort in the order they run. */
export function migrations(kind: DialectKind): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('handle', 'text', (c) => c.notNull())
          .addColumn('handle_lower', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

        await db.schema
          .createTable('follows')
          .addColumn('follower', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('followee', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('follows_pk', ['follower', 'followee'])
          .execute();
        // follower counts and "who follows X" read by followee
        await db.schema.createIndex('follows_followee').on('follows').column('followee').execute();

        await db.schema
          .createTable('blocks')
          .addColumn('blocker', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('blocked', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('blocks_pk', ['blocker', 'blocked'])
          .execute();

        // no foreign keys from rooms to users: a room is history and outlives the accounts in it
        await db.schema
          .createTable('rooms')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('host_id', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rooms_status_created_at').on('rooms').columns(['status', 'created_at']).execute();

        await autoIncrementKey(kind, db.schema.createTable('audit_log'), 'seq')
          .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
          .addColumn('actor', 'text')
          .addColumn('target', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_log_room_seq').on('audit_log').columns(['room_id', 'seq']).execute();

        await autoIncrementKey(kind, db.schema.createTable('reports'), 'id')
          .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
          .addColumn('reporter', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reports_room_id').on('reports').columns(['room_id', 'id']).execute();
      },
    },
    '0002_schedules_notifications': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable('rooms').addColumn('starts_at', 'bigint').execute();
        await db.schema.createIndex('rooms_status_starts_at').on('rooms').columns(['status', 'starts_at']).execute();
        await db.schema.createIndex('rooms_host_status').on('rooms').columns(['host_id', 'status', 'starts_at']).execute();
        // fan-out walks one host's followers in follower order, a batch at a time (keyset, never OFFSET from 0)
        await db.schema.createIndex('follows_followee_follower').on('follows').columns(['followee', 'follower']).execute();

        await db.schema
          .createTable('reminders')
          .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('reminders_pk', ['room_id', 'user_id'])
          .execute();
        await db.schema.createIndex('reminders_user_id').on('reminders').column('user_id').execute();

        await autoIncrementKey(kind, db.schema.createTable('notifications'), 'id')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
          .addColumn('actor_id', 'text')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('read_at', 'bigint')
          .addUniqueConstraint('notifications_once', ['user_id', 'room_id', 'kind'])
          .execute();
        await db.schema.createIndex('notifications_user_id').on('notifications').columns(['user_id', 'id']).execute();

        await autoIncrementKey(kind, db.schema.createTable('fanout_jobs'), 'id')
          .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('host_id', 'text', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          .addColumn('cursor', 'text')
          .addColumn('total', 'bigint', (c) => c.notNull())
          .addColumn('notified', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('finished_at', 'bigint')
          .addUniqueConstraint('fanout_jobs_once', ['room_id', 'kind'])
          .execute();

        await db.schema
          .createTable('listen_counts')
          .addColumn('host_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('listener_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('listens', 'integer', (c) => c.notNull())
          .addColumn('last_room_id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('listen_counts_pk', ['host_id', 'listener_id'])
          .execute();
        await db.schema.createIndex('listen_counts_rank').on('listen_counts').columns(['host_id', 'listens desc', 'listener_id']).execute();

        await autoIncrementKey(kind, db.schema.createTable('webhook_deliveries'), 'id')
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('room_id', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_at', 'bigint', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('last_error', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .addUniqueConstraint('webhook_deliveries_once', ['url', 'event', 'room_id'])
          .execute();
        await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_at']).execute();
      },
    },
    '0003_sign_in_attempts': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('sign_in_attempts')
          .addColumn('subject', 'text', (c) => c.primaryKey())
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sign_in_attempts_started').on('sign_in_attempts').column('started_at').execute();
      },
    },
    '0004_room_leases': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('room_leases')
          .addColumn('room_id', 'text', (c) => c.primaryKey())
          .addColumn('node_id', 'text', (c) => c.notNull())
          .addColumn('epoch', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0005_hand_raises': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('hand_raises')
          .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('tier', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('hand_raises_pk', ['room_id', 'user_id'])
          .execute();
        // the host's order, read a page at a time
        await db.schema.createIndex('hand_raises_order').on('hand_raises').columns(['room_id', 'tier', 'at', 'user_id']).execute();
        await db.schema
          .createTable('hand_counts')
          .addColumn('room_id', 'text', (c) => c.primaryKey().references('rooms.id').onDelete('cascade'))
          .addColumn('count', 'bigint', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('spoke_with')
          .addColumn('host_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('spoke_with_pk', ['host_id', 'user_id'])
          .execute();
        await moveQueuesToRows(db);
      },
    },
  };
}

/**
 * Rooms written before 0005 keep their hand raises in `rooms.state.requests`: each becomes a row (in the
 * order it was raised; tier 0 for people the host follows), and the key leaves the JSON. Rooms are read
 * one at a time, so a database of many rooms is never in memory at once.
 */
async function moveQueuesToRows(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Database>;
  const ids = await db.selectFrom('rooms').select('id').orderBy('id').execute();
  for (const { id } of ids) {
    const row = await db.selectFrom('rooms').select(['state', 'host_id']).where('id', '=', id).executeTakeFirst();
    if (row === undefined) continue;
    const parsed: unknown = JSON.parse(row.state);
    if (typeof parsed !== 'object' || parsed === null || !('requests' in parsed)) continue;
    const { requests, ...rest } = parsed as { requests: unknown };
    const hands = Array.isArray(requests) ? requests.flatMap((r: unknown) => (isHand(r) ? [r] : [])) : [];
    const followed = new Set(
      hands.length === 0
        ? []
        : (await db.selectFrom('follows').select('followee').where('follower', '=', row.host_id).where('followee', 'in', hands.map((h) => h.userId)).execute()).map((f) => f.followee),
    );
    for (const h of hands) {
      await db.insertInto('hand_raises').values({ room_id: id, user_id: h.userId, at: h.at, tier: followed.has(h.userId) ? 0 : 2 }).onConflict((oc) => oc.doNothing()).execute();
    }
    if (hands.length > 0) await db.insertInto('hand_counts').values({ room_id: id, count: hands.length, seq: 1 }).execute();
    await db.updateTable('rooms').set({ state: JSON.stringify(rest) }).where('id', '=', id).execute();
  }
}

const isHand = (r: unknown): r is { userId: string; at: number } =>
  typeof r === 'object' && r !== null && 'userId' in r && typeof r.userId === 'string' && 'at' in r && typeof r.at === 'number';

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly all: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.all;
  }
}

/**
 * Applies every pending migration. `schema` names where PostgreSQL keeps Kysely's bookkeeping tables;
 * it must be given there, because Kysely looks for them across all schemas of the database otherwise.
 */
export async function migrateToLatest(db: Kysely<Database>, kind: DialectKind, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrationProvider(migrations(kind)),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '(migrator)';
    throw new StoreError('unavailable', `database migration ${failed} failed`, { cause: error });
  }
}
