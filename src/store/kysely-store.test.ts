/**
 * @module store/kysely-store.test — KyselyStore's retry of mutateRoom, on a real in-memory SQLite
 * database: a transaction that fails with an error the dialect calls retryable (PostgreSQL's
 * 40001/40P01) runs again from the start, up to `maxAttempts`, and any other error surfaces at once.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEntry, roomId, roomState, T0, userId } from './fixtures.test-helper.ts';
import { errorCode, KyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import type { Database as Schema } from './schema.ts';
import { sqliteParts } from './sqlite.ts';

class SerializationFailure extends Error {
  readonly code = '40001';
}

const stores: KyselyStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function storeWithRetries(maxAttempts: number): Promise<KyselyStore> {
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  await migrateToLatest(db, 'sqlite');
  const parts = { ...sqliteParts, isRetryable: (e: unknown) => errorCode(e) === '40001' };
  const store = new KyselyStore(db, parts, { maxAttempts, clock: () => T0 + 99 });
  stores.push(store);
  await store.createRoom(roomState(roomId(1), userId('host')), []);
  return store;
}

describe('KyselyStore.mutateRoom retries', () => {
  it('runs the whole transaction again after a retryable failure, writing once', async () => {
    const store = await storeWithRetries(3);
    let calls = 0;
    const out = await store.mutateRoom(roomId(1), (s) => {
      calls += 1;
      if (calls < 3) throw new SerializationFailure('could not serialize access');
      return { write: true, state: { ...s, title: 'third time' }, audit: [auditEntry('details_updated', s.hostId, T0)], result: calls };
    });
    expect(out?.result).toBe(3);
    expect(out?.state.title).toBe('third time');
    expect(await store.listAudit(roomId(1), 10)).toHaveLength(1);
    expect((await store.snapshot())['rooms']).toEqual([expect.objectContaining({ version: 2, updated_at: T0 + 99 })]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const store = await storeWithRetries(2);
    let calls = 0;
    await expect(
      store.mutateRoom(roomId(1), () => {
        calls += 1;
        throw new SerializationFailure('still failing');
      }),
    ).rejects.toBeInstanceOf(SerializationFailure);
    expect(calls).toBe(2);
  });

  it('does not retry an error that is not retryable', async () => {
    const store = await storeWithRetries(5);
    let calls = 0;
    await expect(
      store.mutateRoom(roomId(1), () => {
        calls += 1;
        throw new RangeError('a bug');
      }),
    ).rejects.toBeInstanceOf(RangeError);
    expect(calls).toBe(1);
  });
});
