/**
 * @module store/fanout-batch — one batch of a fan-out job as a few set-based statements inside the
 * caller's transaction: find where the batch ends (one keyset-ordered row, read through an index), then
 * INSERT ... SELECT every recipient up to there with ON CONFLICT DO NOTHING, RETURNING what was written.
 * The same SQL runs on SQLite and PostgreSQL. Never one statement per recipient; never commits itself.
 */
import { sql } from 'kysely';
import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { FanoutPhase } from './notify-types.ts';

export interface BatchInput {
  readonly phase: Exclude<FanoutPhase, 'done'>;
  readonly roomId: string;
  readonly hostId: string;
  readonly kind: string;
  /** the last key done in this phase, or null at its start */
  readonly cursor: string | null;
  readonly size: number;
  readonly at: number;
}

export interface BatchOutput {
  /** null when the phase has no more than this batch: it is over */
  readonly end: string | null;
  readonly delivered: ReadonlyArray<{ readonly id: number; readonly user_id: string }>;
}

/** A phase's recipients: where they come from, their key, and how keys order. */
interface Source {
  readonly from: RawBuilder<unknown>;
  /** the recipient's user id column */
  readonly user: RawBuilder<unknown>;
  readonly order: RawBuilder<unknown>;
  readonly endColumns: RawBuilder<unknown>;
  /** rows strictly after a key */
  after(key: string): RawBuilder<unknown>;
  /** rows up to and including a key */
  upTo(key: string): RawBuilder<unknown>;
  keyOf(row: Record<string, unknown>): string;
}

/** 'top' orders by listens (most first), then listener id: the key is "listens|id". */
function splitKey(key: string): [number, string] {
  const at = key.indexOf('|');
  return [Number(key.slice(0, at)), key.slice(at + 1)];
}

function sourceOf(input: BatchInput): Source {
  const { roomId, hostId } = input;
  switch (input.phase) {
    case 'reminders':
      return {
        from: sql`reminders r where r.room_id = ${roomId}`,
        user: sql`r.user_id`,
        order: sql`r.user_id`,
        endColumns: sql`r.user_id as k`,
        after: (k) => sql`r.user_id > ${k}`,
        upTo: (k) => sql`r.user_id <= ${k}`,
        keyOf: (row) => String(row['k']),
      };
    case 'top':
      return {
        from: sql`listen_counts lc join follows f on f.follower = lc.listener_id and f.followee = lc.host_id where lc.host_id = ${hostId}`,
        user: sql`lc.listener_id`,
        order: sql`lc.listens desc, lc.listener_id`,
        endColumns: sql`lc.listens as n, lc.listener_id as k`,
        after: (k) => {
          const [n, id] = splitKey(k);
          return sql`(lc.listens < ${n} or (lc.listens = ${n} and lc.listener_id > ${id}))`;
        },
        upTo: (k) => {
          const [n, id] = splitKey(k);
          return sql`(lc.listens > ${n} or (lc.listens = ${n} and lc.listener_id <= ${id}))`;
        },
        keyOf: (row) => `${Number(row['n'])}|${String(row['k'])}`,
      };
    case 'rest':
      return {
        from: sql`follows f where f.followee = ${hostId}`,
        user: sql`f.follower`,
        order: sql`f.follower`,
        endColumns: sql`f.follower as k`,
        after: (k) => sql`f.follower > ${k}`,
        upTo: (k) => sql`f.follower <= ${k}`,
        keyOf: (row) => String(row['k']),
      };
  }
}

export async function runBatch(trx: Transaction<Database>, input: BatchInput): Promise<BatchOutput> {
  const src = sourceOf(input);
  const afterCursor = input.cursor === null ? sql`` : sql` and ${src.after(input.cursor)}`;
  // the batch's last key: the size-th row after the cursor, straight off the index
  const endRow = await sql<Record<string, unknown>>`select ${src.endColumns} from ${src.from}${afterCursor} order by ${src.order} limit 1 offset ${input.size - 1}`.execute(trx);
  const first = endRow.rows[0];
  const end = first === undefined ? null : src.keyOf(first);
  const upToEnd = end === null ? sql`` : sql` and ${src.upTo(end)}`;
  // casts: PostgreSQL types bare parameters in a select list as text
  const inserted = await sql<{ id: number; user_id: string }>`
    insert into notifications (user_id, kind, room_id, actor_id, at)
    select ${src.user}, cast(${input.kind} as text), cast(${input.roomId} as text), cast(${input.hostId} as text), cast(${input.at} as bigint)
    from ${src.from}${afterCursor}${upToEnd}
      and ${src.user} <> ${input.hostId}
      and not exists (select 1 from blocks b where b.blocker = ${input.hostId} and b.blocked = ${src.user})
    on conflict (user_id, room_id, kind) do nothing
    returning id, user_id`.execute(trx);
  return { end, delivered: inserted.rows.map((r) => ({ id: Number(r.id), user_id: r.user_id })) };
}

/** Everyone a job of this kind will tell, counted once (a follower holding a reminder is one person). */
export async function countRecipients(trx: Transaction<Database>, roomId: string, hostId: string, everyone: boolean): Promise<number> {
  const who = everyone
    ? sql`select r.user_id as u from reminders r where r.room_id = ${roomId} union select f.follower as u from follows f where f.followee = ${hostId}`
    : sql`select r.user_id as u from reminders r where r.room_id = ${roomId}`;
  const result = await sql<{ n: number | string }>`
    select count(*) as n from (${who}) x
    where x.u <> ${hostId} and not exists (select 1 from blocks b where b.blocker = ${hostId} and b.blocked = x.u)`.execute(trx);
  return Number(result.rows[0]?.n ?? 0);
}
