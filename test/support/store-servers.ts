/**
 * @module test/support/store-servers — the two stores a test server can run on, for tests written once
 * and run on each (`describe.each(STORE_KINDS)`): SQLite in a fresh data directory, and PostgreSQL in a
 * schema of its own, dropped at the end. PostgreSQL is skipped (or, under CI=true, required) as the
 * store's own tests decide. Test code only; never imported by src/.
 */
import { openPostgresStore } from '../../src/store/postgres.ts';
import { dropSchemas, PG_TEST_URL, postgresForTests, testSchemaName } from '../../src/store/pg-availability.test-helper.ts';
import { startTestServer, type TestServer } from './amphi-server.ts';

export type StoreKind = 'SQLite' | 'PostgreSQL';
export const STORE_KINDS: readonly StoreKind[] = ['SQLite', 'PostgreSQL'];

export type ServerOptions = Parameters<typeof startTestServer>[0];

export interface StoreServers {
  /** false when this store cannot run here (PostgreSQL down outside CI): skip the tests */
  readonly available: boolean;
  /** a server on this store; with `schema` a PostgreSQL server reuses that schema (a restart) */
  start(opts?: ServerOptions & { schema?: string }): Promise<TestServer & { readonly schema: string | null }>;
  /** drops what the servers left (PostgreSQL schemas); SQLite servers clean up in dispose() */
  cleanUp(): Promise<void>;
}

export async function storeServers(kind: StoreKind, prefix: string): Promise<StoreServers> {
  if (kind === 'SQLite') {
    return {
      available: true,
      start: async (opts = {}) => Object.assign(await startTestServer(opts), { schema: null }),
      cleanUp: async () => undefined,
    };
  }
  const available = await postgresForTests();
  const schemas = new Set<string>();
  return {
    available,
    start: async ({ schema, ...opts } = {}) => {
      const s = schema ?? testSchemaName(prefix);
      schemas.add(s);
      return Object.assign(await startTestServer({ ...opts, store: await openPostgresStore(PG_TEST_URL, { schema: s }) }), { schema: s });
    },
    cleanUp: () => dropSchemas(PG_TEST_URL, [...schemas]),
  };
}
