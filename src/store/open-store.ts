/**
 * @module store/open-store — picks the Store for the configured database URL: empty means SQLite at
 * `${dataDir}/amphi.db` (the directory is created), postgres:// or postgresql:// means PostgreSQL.
 * The one function main.ts calls; must never be imported by anything that holds a Store already.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openPostgresStore, type PostgresStoreOptions } from './postgres.ts';
import { redactUrl } from './redact-url.ts';
import { openSqliteStore } from './sqlite.ts';
import { StoreError } from './types.ts';
import type { Store } from './types.ts';

export interface StoreConfig {
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** PostgreSQL only: an idle pooled connection failed (see PostgresStoreOptions); default stderr */
  readonly onBackgroundError?: (error: Error) => void;
  /** PostgreSQL only: it went out of reach, or answers again (once each per outage); default stderr */
  readonly onOutage?: PostgresStoreOptions['onOutage'];
}

export async function openStore(config: StoreConfig): Promise<Store> {
  const url = config.databaseUrl.trim();
  if (url === '') {
    try {
      await mkdir(config.dataDir, { recursive: true });
    } catch (error) {
      throw new StoreError('unavailable', `cannot create the data directory ${config.dataDir}`, { cause: error });
    }
    return openSqliteStore(join(config.dataDir, 'amphi.db'));
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { onBackgroundError, onOutage } = config;
    return openPostgresStore(url, { ...(onBackgroundError && { onBackgroundError }), ...(onOutage && { onOutage }) });
  }
  throw new StoreError(
    'unavailable',
    `unsupported database URL ${redactUrl(url)}: ` +
      'leave it empty for SQLite or use postgres://user:password@host:port/database',
  );
}
