/**
 * @module store/postgres.test — PostgreSQL runs the Store contract, each fresh store in a new schema
 * of this file's own (dropped at the end), so runs never meet each other's rows or a developer's.
 * Skipped with one loud line when PostgreSQL is not running, except under CI=true, where it must run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from './contract.ts';
import { dropSchemas, PG_TEST_URL, postgresForTests, testSchemaName } from './pg-availability.test-helper.ts';
import { openPostgresStore } from './postgres.ts';
import { StoreError } from './types.ts';

const up = await postgresForTests();
const base = testSchemaName('store');
const schemas: string[] = [];
afterAll(() => dropSchemas(PG_TEST_URL, schemas));

describe.skipIf(!up)('PostgreSQL store', () => {
  runStoreContract('postgres', ({ fresh }) => {
    if (fresh || schemas.length === 0) schemas.push(`${base}_${schemas.length + 1}`);
    return openPostgresStore(PG_TEST_URL, { schema: schemas[schemas.length - 1] });
  });

  it('migrates a schema that is already migrated without change', async () => {
    const schema = `${base}_twice`;
    schemas.push(schema);
    const first = await openPostgresStore(PG_TEST_URL, { schema });
    await first.close();
    const second = await openPostgresStore(PG_TEST_URL, { schema });
    expect(second.kind).toBe('postgres');
    expect(await second.snapshot()).toMatchObject({ users: [], rooms: [] });
    await second.close();
  });

  it('fails to open an unreachable server with unavailable, naming the URL without its password', async () => {
    const error = await openPostgresStore('postgres://amphi:hunter2@127.0.0.1:1/amphi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect((error as StoreError).message).toContain('postgres://amphi:***@127.0.0.1:1/amphi');
    expect((error as StoreError).message).not.toContain('hunter2');
  });

  it('refuses a schema name that would need quoting', async () => {
    await expect(openPostgresStore(PG_TEST_URL, { schema: 'x"; drop table users; --' })).rejects.toThrow(TypeError);
  });
});
