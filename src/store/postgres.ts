/**
 * @module store/postgres — the Store on PostgreSQL through pg's Pool and Kysely's PostgresDialect,
 * migrated on open. mutateRoom locks the room row with SELECT ... FOR UPDATE, so decisions on one room
 * are serialised across every node that shares the database; serialisation failures and deadlocks
 * are retried. An optional schema isolates a test run (created if missing, put on every pooled
 * connection's search_path). Every query goes through OutageGuardedPool (postgres-outage.ts): a
 * database out of reach answers StoreError('unavailable') within seconds, reported once per outage.
 * Must never put a password in an error message or a log.
 */
import { Kysely, PostgresDialect, CompiledQuery } from 'kysely';
import pg from 'pg';
import { errorCode, KyselyStore } from './kysely-store.ts';
import type { DialectParts, KyselyStoreOptions } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import { OutageGuardedPool, OutageWatch, type OutageEvent, type OutageTimeouts } from './postgres-outage.ts';
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
   * An idle pooled connection failed for another reason than the server being out of reach (those are
   * outages, below): the pool drops it and the next query opens another. Default: one line on stderr.
   */
  readonly onBackgroundError?: (error: Error) => void;
  /** PostgreSQL went out of reach, or answers again: called once at each end of an outage. Default: stderr */
  readonly onOutage?: (event: OutageEvent) => void;
  /** how long getting a connection may take before a call fails as unavailable; default 3000 */
  readonly connectTimeoutMs?: number;
  /** how long one query may wait for its answer before it fails as unavailable; default 5000 */
  readonly queryTimeoutMs?: number;
}

/** a few seconds: a request fails (503, Retry-After) well before a browser or a proxy gives up on it */
const CONNECT_TIMEOUT_MS = 3_000;
const QUERY_TIMEOUT_MS = 5_000;

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
  // migrations may take long on a big database: the query timeout starts once they are done
  const timeouts: OutageTimeouts = { connectMs: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, queryMs: 0 };
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 10,
    types,
    connectionTimeoutMillis: timeouts.connectMs,
    // a connection whose peer vanished without a word (a partition) is found out by the kernel, not left forever
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  const where = redactUrl(url);
  const report = opts.onOutage ?? ((e: OutageEvent) => console.error(e.message));
  // a failure while opening is thrown to the caller, not reported: the store never served anyone
  let serving = false;
  const watch = new OutageWatch(where, (e) => serving && report(e));
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({
      pool: new OutageGuardedPool(pool, { watch, timeouts, where, now: Date.now }, opts.onBackgroundError ?? logBackgroundError(url)),
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
    // the guard's error already says where and why, without the password
    if (error instanceof StoreError) throw error;
    throw new StoreError('unavailable', `PostgreSQL not reachable at ${where}: ${messageOf(error)}`, { cause: error });
  }
  try {
    if (schema !== undefined) await db.schema.createSchema(schema).ifNotExists().execute();
    const current = await db.executeQuery<{ s: string }>(CompiledQuery.raw('select current_schema() as s'));
    await migrateToLatest(db, 'postgres', schema ?? current.rows[0]?.s ?? 'public');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  timeouts.queryMs = opts.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
  serving = true;
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
