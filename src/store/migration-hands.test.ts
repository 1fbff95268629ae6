/**
 * @module store/migration-hands.test — migration 0005 moves a room's queue out of its JSON: a database
 * left at 0004 with hands in `rooms.state.requests` opens with each hand as a row (in raising order,
 * people the host follows first) and a room state without the key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { Migration } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from './migrations.ts';
import type { Database as Schema } from './schema.ts';
import { openSqliteStore } from './sqlite.ts';
import { roomId, roomState, T0, user, userId } from './fixtures.test-helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'amphi-migrate-hands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0005_hand_raises', () => {
  it('turns each room\'s queue into rows and takes it out of the JSON', async () => {
    const file = join(dir, 'old.db');
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const upTo4: Record<string, Migration> = Object.fromEntries(Object.entries(migrations('sqlite')).filter(([name]) => name < '0005'));
    const done = await new Migrator({ db, provider: { getMigrations: async () => upTo4 } }).migrateToLatest();
    expect(done.error).toBeUndefined();
    for (const n of ['host', 1, 2]) {
      const u = user(n);
      await db.insertInto('users').values({ id: u.id, handle: u.handle, handle_lower: u.handle.toLowerCase(), display_name: u.displayName, password_hash: u.passwordHash, created_at: T0 }).execute();
    }
    await db.insertInto('follows').values({ follower: userId('host'), followee: userId(2), at: T0 }).execute();
    const old = { ...roomState(roomId(1), userId('host'), { status: 'live' }), requests: [{ userId: userId(1), at: T0 + 1 }, { userId: userId(2), at: T0 + 2 }] };
    await db.insertInto('rooms').values({ id: old.id, status: 'live', created_by: old.createdBy, host_id: old.hostId, title: old.title, created_at: T0, updated_at: T0, starts_at: null, version: 3, state: JSON.stringify(old) }).execute();
    await db.destroy();

    const store = await openSqliteStore(file);
    try {
      const { requests: _dropped, ...expected } = old;
      expect(await store.getRoom(old.id)).toEqual(expected);
      const page = await store.hands.page(old.id, { offset: 0, limit: 10 });
      expect(page.rows).toEqual([{ userId: userId(2), at: T0 + 2, tier: 0 }, { userId: userId(1), at: T0 + 1, tier: 2 }]);
      expect(await store.hands.count(old.id)).toEqual({ count: 2, seq: 1 });
    } finally {
      await store.close();
    }
  });
});
