/**
 * @module store/sqlite — the default Store: one SQLite file (or ':memory:') through better-sqlite3 and
 * Kysely's SqliteDialect, migrated on open. WAL mode, foreign keys on, a busy timeout for a second
 * process on the same file. Kysely keeps one connection behind a mutex, so a transaction is exclusive
 * within the process and mutateRoom needs no row lock. Must never be opened on the same file by two
 * Amphi nodes: SQLite is for one node; use PostgreSQL for more.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { errorCode, KyselyStore } from './kysely-store.ts';
import type { DialectParts, KyselyStoreOptions } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import type { Database as Schema } from './schema.ts';
import { StoreError } from './types.ts';
import type { Store } from './types.ts';

const BUSY_TIMEOUT_MS = 5_000;

export const sqliteParts: DialectParts = {
  kind: 'sqlite',
  lockRoomRow: false,
  isUniqueViolation: (e) => {
    const code = errorCode(e);
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  isForeignKeyViolation: (e) => errorCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
  // another process holding the write lock past the busy timeout, or a stale WAL read snapshot
  isRetryable: (e) => errorCode(e)?.startsWith('SQLITE_BUSY') === true,
};

export async function openSqliteStore(path: string, options: KyselyStoreOptions = {}): Promise<Store> {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // safe with WAL: a crash loses at most the last commits, never consistency
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new StoreError('unavailable', `cannot open SQLite database at ${path}`, { cause: error });
  }
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, sqliteParts, options);
}
