/**
 * @module test/support/follower-graph — writes a follower graph straight into an Amphi database with a
 * few set-based statements (a recursive CTE on SQLite, generate_series on PostgreSQL): `n` accounts
 * f0000001.., all following the host, the first `reminders` of them holding a reminder for a room and
 * every `listenEvery`-th of them with listen counts for the host. Used by the restart test and by
 * bench/fanout-notify.ts. Never one statement per follower. Test and bench code only.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface GraphSpec {
  readonly hostId: string;
  readonly followers: number;
  /** a room the first `reminders` followers set a reminder for (none when null) */
  readonly roomId: string | null;
  readonly reminders: number;
  /** every k-th follower listened to the host (listens = 1 + id mod 5); 0 = nobody */
  readonly listenEvery: number;
  readonly at: number;
}

export const followerId = (i: number): string => `f${String(i).padStart(7, '0')}`;

export function seedSqlite(file: string, g: GraphSpec): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const seq = 'with recursive s(i) as (select 1 union all select i + 1 from s where i < @n)';
  const id = "printf('f%07d', i)";
  const p = { n: g.followers, host: g.hostId, at: g.at, room: g.roomId, reminders: g.reminders, every: g.listenEvery };
  db.transaction(() => {
    db.prepare(`${seq} insert into users (id, handle, handle_lower, display_name, password_hash, created_at) select ${id}, ${id}, ${id}, 'Follower', 'none', @at from s`).run(p);
    db.prepare(`${seq} insert into follows (follower, followee, at) select ${id}, @host, @at from s`).run(p);
    if (g.roomId !== null && g.reminders > 0) {
      db.prepare(`${seq} insert into reminders (room_id, user_id, at) select @room, ${id}, @at from s where i <= @reminders`).run(p);
    }
    if (g.listenEvery > 0) {
      db.prepare(`${seq} insert into listen_counts (host_id, listener_id, listens, last_room_id, at) select @host, ${id}, 1 + i % 5, 'old', @at from s where i % @every = 0`).run(p);
    }
  })();
  db.close();
}

export async function seedPostgres(url: string, g: GraphSpec): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const id = "'f' || lpad(i::text, 7, '0')";
    await client.query('begin');
    await client.query(`insert into users (id, handle, handle_lower, display_name, password_hash, created_at) select ${id}, ${id}, ${id}, 'Follower', 'none', $2 from generate_series(1, $1::int) i`, [g.followers, g.at]);
    await client.query(`insert into follows (follower, followee, at) select ${id}, $2, $3 from generate_series(1, $1::int) i`, [g.followers, g.hostId, g.at]);
    if (g.roomId !== null && g.reminders > 0) {
      await client.query(`insert into reminders (room_id, user_id, at) select $2, ${id}, $3 from generate_series(1, $1::int) i`, [g.reminders, g.roomId, g.at]);
    }
    if (g.listenEvery > 0) {
      await client.query(`insert into listen_counts (host_id, listener_id, listens, last_room_id, at) select $2, ${id}, 1 + i % 5, 'old', $3 from generate_series(1, $1::int) i where i % $4::int = 0`, [g.followers, g.hostId, g.at, g.listenEvery]);
    }
    await client.query('commit');
    // fresh statistics, as autovacuum would gather soon after a bulk load: without them the planner
    // takes the million-row tables for empty ones and scans instead of using the indexes
    await client.query('analyze users, follows, reminders, listen_counts');
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    await client.end();
  }
}
