/**
 * @module store/postgres — the Store on PostgreSQL through pg's Pool and Kysely's PostgresDialect,
 * migrated on open. mutateRoom locks the room row with SELECT ... FOR UPDATE, so decisions on one room
 * are serialised across every node that shares the database; serialisation failures and deadlocks
 * are retried. An optional schema isolates a test run (created if missing, put on every pooled
 * connection's search_path). Must never put a password in an error message or a log.
 */
import { Kysely, PostgresDialect, CompiledQuery } from 'kysely';
import pg from 'pg';
import { errorCode, KyselyStore } from './kysely-store.ts';
import type { DialectParts, KyselyStoreOptions } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import { redactUrl } from './redact-url.ts';
import type { Database as Schema } from './schema.ts';
import { StoreError } from './types.ts';
import type { Store } from './types.ts';

export interface PostgresStoreOptions extends KyselyStoreOptions {
  /** a schema of its own (created if missing); default: the server's search_path (normally public) */
  readonly schema?: string;
  /** pool size; default 10 */
  readonly maxConnections?: number;
  /**
   * An idle pooled connection failed (server restart, network): the pool drops it and the next query
   * opens another. Default: one line on stderr.
   */
  readonly onBackgroundError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const postgresParts: DialectParts = {
  kind: 'postgres',
  lockRoomRow: true,
  isUniqueViolation: (e) => errorCode(e) === '23505',
  isForeignKeyViolation: (e) => errorCode(e) === '23503',
  isRetryable: (e) => {
    const code = errorCode(e);
    return code === '40001' || code === '40P01';
  },
};

/** int8 (bigint: times, seq, count) as JS numbers: ms timestamps and row counts stay below 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
};

export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = opts;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new TypeError(`PostgreSQL schema name must match ${SCHEMA_NAME.source}: ${schema}`);
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.maxConnections ?? 10, types });
  // an idle client's network error lands here; without a listener it would crash the process
  pool.on('error', opts.onBackgroundError ?? logBackgroundError(url));
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({
      pool,
      ...(schema === undefined
        ? {}
        : {
            onCreateConnection: async (c) => {
              await c.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
            },
          }),
    }),
  });
  try {
    await db.executeQuery(CompiledQuery.raw('select 1'));
  } catch (error) {
    await db.destroy();
    throw new StoreError('unavailable', `PostgreSQL not reachable at ${redactUrl(url)}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  try {
    if (schema !== undefined) await db.schema.createSchema(schema).ifNotExists().execute();
    const current = await db.executeQuery<{ s: string }>(CompiledQuery.raw('select current_schema() as s'));
    await migrateToLatest(db, 'postgres', schema ?? current.rows[0]?.s ?? 'public');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, postgresParts, opts);
}

const logBackgroundError = (url: string) => (error: Error) => {
  console.error(`PostgreSQL connection to ${redactUrl(url)} failed while idle: ${messageOf(error)}`);
};

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || errorCode(error) || error.name;
  return String(error);
}
