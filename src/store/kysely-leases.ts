/**
 * @module store/kysely-leases — LeaseStore over Kysely, one set of statements for SQLite and
 * PostgreSQL: a claim is a single upsert whose conflict branch updates only when the lease is free,
 * expired or the claimer's own, so two nodes claiming at once can never both win (PostgreSQL's row lock,
 * SQLite's single writer). Never reads a clock (`now` comes in) and never deletes a lease row.
 */
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { RoomId } from '../domain/ids.ts';
import { asRoomId } from '../domain/ids.ts';
import type { LeaseStore, RoomLease } from './lease-types.ts';
import type { Database, RoomLeasesTable } from './schema.ts';

const toLease = (r: Selectable<RoomLeasesTable>): RoomLease => ({
  roomId: asRoomId(r.room_id),
  nodeId: r.node_id,
  epoch: Number(r.epoch),
  expiresAt: Number(r.expires_at),
});

export class KyselyLeaseStore implements LeaseStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async claim(roomId: RoomId, nodeId: string, now: number, ttlMs: number): Promise<RoomLease> {
    const mine = sql<boolean>`${sql.ref('room_leases.node_id')} = ${nodeId}`;
    const row = await this.#db
      .insertInto('room_leases')
      .values({ room_id: roomId, node_id: nodeId, epoch: 1, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column('room_id')
          .doUpdateSet({
            epoch: sql<number>`case when ${mine} then ${sql.ref('room_leases.epoch')} else ${sql.ref('room_leases.epoch')} + 1 end`,
            node_id: nodeId,
            expires_at: now + ttlMs,
          })
          .where(sql<boolean>`${mine} or ${sql.ref('room_leases.expires_at')} <= ${now}`),
      )
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) return toLease(row);
    // held by another node: say by whom
    const held = await this.get(roomId);
    if (held === null) throw new Error(`the lease of room ${roomId} vanished while it was claimed`);
    return held;
  }

  async release(roomId: RoomId, nodeId: string, epoch: number): Promise<void> {
    await this.#db
      .updateTable('room_leases')
      .set({ expires_at: 0 })
      .where('room_id', '=', roomId)
      .where('node_id', '=', nodeId)
      .where('epoch', '=', epoch)
      .execute();
  }

  async get(roomId: RoomId): Promise<RoomLease | null> {
    const row = await this.#db.selectFrom('room_leases').selectAll().where('room_id', '=', roomId).executeTakeFirst();
    return row === undefined ? null : toLease(row);
  }
}
