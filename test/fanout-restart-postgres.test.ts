/** Runs the crash-and-resume fan-out scenario on PostgreSQL (127.0.0.1:5432/test), in a schema of its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { dropSchemas, inSchema, PG_TEST_URL, postgresForTests, testSchemaName } from '../src/store/pg-availability.test-helper.ts';
import { oneProcess, startAmphiProcess } from './support/amphi-process.ts';
import { runFanoutRestart } from './fanout-restart.scenario.ts';
import { seedPostgres } from './support/follower-graph.ts';

const up = await postgresForTests();
const schema = testSchemaName('restart');
const dir = mkdtempSync(join(tmpdir(), 'amphi-restart-pg-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (up) await dropSchemas(PG_TEST_URL, [schema]);
});

describe.skipIf(!up)('on PostgreSQL', () => {
  runFanoutRestart('PostgreSQL', async () => {
    const admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
    await admin.query(`create schema if not exists "${schema}"`);
    await admin.end();
    const url = inSchema(PG_TEST_URL, schema);
    return {
      start: async (env, rate) => oneProcess(await startAmphiProcess({ ...env, AMPHI_DATA_DIR: dir, AMPHI_DATABASE_URL: url, AMPHI_NOTIFY_RATE: String(rate) })),
      seed: (hostId, roomId, followers) => seedPostgres(url, { hostId, followers, roomId, reminders: 300, listenEvery: 7, at: Date.now() }),
      counts: async (roomId) => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          const r = await c.query<{ u: string; n: string }>("select user_id as u, count(*) as n from notifications where room_id = $1 and kind = 'room_live' group by user_id", [roomId]);
          return new Map(r.rows.map((row) => [row.u, Number(row.n)]));
        } finally {
          await c.end();
        }
      },
    };
  });
});
