/**
 * @module store/sqlite.test — SQLite runs the Store contract on temporary files, and opens the way
 * main.ts asks it to.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from './contract.ts';
import { openStore } from './open-store.ts';
import { openSqliteStore } from './sqlite.ts';
import { StoreError } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'amphi-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
runStoreContract('sqlite', ({ fresh }) => {
  if (fresh) n += 1;
  return openSqliteStore(join(dir, `contract-${n}.db`));
});

describe('SQLite store', () => {
  it('works in memory', async () => {
    const store = await openSqliteStore(':memory:');
    expect(store.kind).toBe('sqlite');
    expect(Object.keys(await store.snapshot())).toHaveLength(16);
    await store.close();
  });

  it('closes more than once without complaint', async () => {
    const store = await openSqliteStore(':memory:');
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('fails to open a file in a missing directory with unavailable, naming the path', async () => {
    const path = join(dir, 'no-such-dir', 'x.db');
    const error = await openSqliteStore(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining(path) });
  });
});

describe('openStore', () => {
  it('opens SQLite at dataDir/amphi.db, creating the directory, when the URL is empty', async () => {
    const dataDir = join(dir, 'data', 'nested');
    const store = await openStore({ databaseUrl: '', dataDir });
    expect(store.kind).toBe('sqlite');
    await store.close();
    expect(existsSync(join(dataDir, 'amphi.db'))).toBe(true);
  });

  it('refuses a URL of another kind with unavailable and without its password', async () => {
    const error = await openStore({ databaseUrl: 'mysql://root:hunter2@db/amphi', dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(String((error as StoreError).message)).not.toContain('hunter2');
  });

  it('routes a postgresql:// URL to PostgreSQL (here one that is not listening)', async () => {
    const error = await openStore({ databaseUrl: 'postgresql://amphi:hunter2@127.0.0.1:1/amphi', dataDir: dir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('PostgreSQL at postgresql://amphi:***@127.0.0.1:1/amphi cannot be reached: the connection was refused') });
    expect((error as StoreError).message).toContain('postgresql://amphi:***@127.0.0.1:1/amphi');
    expect((error as StoreError).message).not.toContain('hunter2');
  });
});
