/**
 * @module store/kysely-hands — HandStore over Kysely, one set of statements for SQLite and PostgreSQL.
 * A raise is one insert that does nothing when the hand is already up (its tier judged in the same
 * statement from follows and spoke_with, by primary key); a lower is one delete by primary key; the
 * count is one upsert of the room's hand_counts row. So each costs the same whatever the queue's length,
 * and a batch of them is one transaction. Never decides whether a person may raise a hand (the rules do,
 * before) and never reads a clock (times come in).
 */
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { RoomId, UserId } from '../domain/ids.ts';
import { asUserId } from '../domain/ids.ts';
import type { HandChange, HandPage, HandRow, HandStore, HandTier } from './hand-types.ts';
import type { Database } from './schema.ts';

const ID_CHUNK = 500;

const toTier = (n: number): HandTier => (n === 0 || n === 1 ? n : 2);
const toRow = (r: { user_id: string; at: number; tier: number }): HandRow => ({ userId: asUserId(r.user_id), at: Number(r.at), tier: toTier(Number(r.tier)) });

/** LIKE's wildcards typed by a person are searched for as themselves */
const likeContains = (s: string): string => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class KyselyHandStore implements HandStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  apply(roomId: RoomId, hostId: UserId, raises: ReadonlyArray<{ readonly userId: UserId; readonly at: number }>, lowers: readonly UserId[]): Promise<HandChange> {
    return this.#db.transaction().execute(async (trx) => {
      const added: HandRow[] = [];
      for (const r of raises) {
        const row = await insertHand(trx, roomId, hostId, r.userId, r.at);
        if (row !== undefined) added.push(toRow(row));
      }
      const removed: UserId[] = [];
      for (let i = 0; i < lowers.length; i += ID_CHUNK) {
        const gone = await trx
          .deleteFrom('hand_raises')
          .where('room_id', '=', roomId)
          .where('user_id', 'in', lowers.slice(i, i + ID_CHUNK))
          .returning('user_id')
          .execute();
        for (const g of gone) removed.push(asUserId(g.user_id));
      }
      const delta = added.length - removed.length;
      if (added.length === 0 && removed.length === 0) return { added, removed, ...(await this.#countIn(trx, roomId)) };
      const counted = await trx
        .insertInto('hand_counts')
        .values({ room_id: roomId, count: delta, seq: 1 })
        .onConflict((oc) =>
          oc.column('room_id').doUpdateSet({
            count: sql<number>`${sql.ref('hand_counts.count')} + ${delta}`,
            seq: sql<number>`${sql.ref('hand_counts.seq')} + 1`,
          }),
        )
        .returning(['count', 'seq'])
        .executeTakeFirstOrThrow();
      return { added, removed, count: Number(counted.count), seq: Number(counted.seq) };
    });
  }

  async raised(roomId: RoomId, userIds: readonly UserId[]): Promise<ReadonlySet<UserId>> {
    const out = new Set<UserId>();
    const unique = [...new Set(userIds)];
    for (let i = 0; i < unique.length; i += ID_CHUNK) {
      const rows = await this.#db
        .selectFrom('hand_raises')
        .select('user_id')
        .where('room_id', '=', roomId)
        .where('user_id', 'in', unique.slice(i, i + ID_CHUNK))
        .execute();
      for (const r of rows) out.add(asUserId(r.user_id));
    }
    return out;
  }

  async page(roomId: RoomId, opts: { readonly offset: number; readonly limit: number; readonly search?: string }): Promise<HandPage> {
    const search = opts.search?.trim() ?? '';
    let base = this.#db.selectFrom('hand_raises').where('hand_raises.room_id', '=', roomId);
    if (search !== '') {
      const pattern = likeContains(search);
      base = base
        .innerJoin('users', 'users.id', 'hand_raises.user_id')
        .where((eb) =>
          eb.or([
            eb(sql<string>`${sql.ref('users.handle_lower')}`, 'like', sql<string>`${pattern} escape '\\'`),
            eb(sql<string>`lower(${sql.ref('users.display_name')})`, 'like', sql<string>`${pattern} escape '\\'`),
          ]),
        );
    }
    const rows =
      opts.limit <= 0
        ? []
        : await base
            .select(['hand_raises.user_id', 'hand_raises.at', 'hand_raises.tier'])
            .orderBy('hand_raises.tier')
            .orderBy('hand_raises.at')
            .orderBy('hand_raises.user_id')
            .limit(opts.limit)
            .offset(Math.max(0, opts.offset))
            .execute();
    // without a search the count row answers in O(1); a search counts its matches
    const total =
      search === ''
        ? (await this.count(roomId)).count
        : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { rows: rows.map(toRow), total };
  }

  count(roomId: RoomId): Promise<{ readonly count: number; readonly seq: number }> {
    return this.#countIn(this.#db, roomId);
  }

  async noteSpoke(hostId: UserId, userId: UserId, at: number): Promise<void> {
    await this.#db
      .insertInto('spoke_with')
      .values({ host_id: hostId, user_id: userId, at })
      .onConflict((oc) => oc.columns(['host_id', 'user_id']).doNothing())
      .execute();
  }

  async #countIn(db: Kysely<Database> | Transaction<Database>, roomId: RoomId): Promise<{ count: number; seq: number }> {
    const row = await db.selectFrom('hand_counts').select(['count', 'seq']).where('room_id', '=', roomId).executeTakeFirst();
    return row === undefined ? { count: 0, seq: 0 } : { count: Number(row.count), seq: Number(row.seq) };
  }
}

/** one raise: inserted with its tier, or nothing when the hand is already up (undefined) */
function insertHand(trx: Transaction<Database>, roomId: RoomId, hostId: UserId, userId: UserId, at: number) {
  const followed = sql<boolean>`exists (select 1 from follows where follower = ${hostId} and followee = ${userId})`;
  const spoke = sql<boolean>`exists (select 1 from spoke_with where host_id = ${hostId} and user_id = ${userId})`;
  return trx
    .insertInto('hand_raises')
    .values({ room_id: roomId, user_id: userId, at, tier: sql<number>`case when ${followed} then 0 when ${spoke} then 1 else 2 end` })
    .onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
    .returning(['user_id', 'at', 'tier'])
    .executeTakeFirst();
}
