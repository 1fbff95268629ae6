/**
 * @module store/pg-availability — decides whether a test file may use PostgreSQL, and gives each test
 * file schemas of its own. When CI is 'true' PostgreSQL is required and an unreachable server fails the
 * suite; elsewhere the suite is skipped with one loud line saying how to start it. Test code only;
 * must never be imported by production code.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from './redact-url.ts';

export const PG_TEST_URL = process.env['AMPHI_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

const START_HINT = 'pg_ctlcluster --skip-systemctl-redirect 15 main start';

async function reachable(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * true when PostgreSQL answers at `url`. Otherwise: under CI=true it throws (the suite must run there);
 * elsewhere it prints one line and returns false, for `describe.skipIf(!up)`.
 */
export async function postgresForTests(url = PG_TEST_URL): Promise<boolean> {
  const error = await reachable(url);
  if (error === null) return true;
  const where = redactUrl(url);
  if (process.env['CI'] === 'true') {
    throw new Error(`PostgreSQL not reachable at ${where}, and CI=true requires it`, { cause: error });
  }
  console.warn(`\n*** PostgreSQL not reachable at ${where}: skipping; start it with: ${START_HINT} ***\n`);
  return false;
}

/** A schema name no other test run will pick: tests never share tables with each other or a developer. */
export const testSchemaName = (prefix: string): string => `t_${prefix}_${randomBytes(5).toString('hex')}`;

/** a server's own URL, pinned to a test schema through the connection's search_path (for Amphi processes) */
export function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
  } finally {
    await client.end();
  }
}
