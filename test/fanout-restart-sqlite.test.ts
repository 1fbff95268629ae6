/** Runs the crash-and-resume fan-out scenario on SQLite: a data directory of its own, seeded through the file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { oneProcess, startAmphiProcess } from './support/amphi-process.ts';
import { runFanoutRestart } from './fanout-restart.scenario.ts';
import { seedSqlite } from './support/follower-graph.ts';

const dir = mkdtempSync(join(tmpdir(), 'amphi-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runFanoutRestart('SQLite', async () => {
  const file = join(dir, 'amphi.db');
  return {
    start: async (env, rate) => oneProcess(await startAmphiProcess({ ...env, AMPHI_DATA_DIR: dir, AMPHI_NOTIFY_RATE: String(rate) })),
    seed: async (hostId, roomId, followers) => seedSqlite(file, { hostId, followers, roomId, reminders: 300, listenEvery: 7, at: Date.now() }),
    counts: async (roomId) => {
      const db = new Database(file, { readonly: true });
      try {
        const rows = db.prepare("select user_id as u, count(*) as n from notifications where room_id = ? and kind = 'room_live' group by user_id").all(roomId) as Array<{ u: string; n: number }>;
        return new Map(rows.map((r) => [r.u, r.n]));
      } finally {
        db.close();
      }
    },
  };
});
