/**
 * @module store/lease-types — a room's placement lease as the store keeps it: which node is the room's
 * origin (runs its stage, mixer and clock, publishes its program), until when, and at which epoch. The
 * epoch rises each time the lease passes to another node, so whatever a node did under an older epoch
 * can be recognised and refused (fencing): edges drop program frames of an epoch older than one they
 * have seen. A lease row is never deleted (a deleted row would restart the epoch at 1 and fence the new
 * holder out); giving a lease up only ends its time. Types only.
 */
import type { RoomId } from '../domain/ids.ts';

export interface RoomLease {
  readonly roomId: RoomId;
  readonly nodeId: string;
  /** 1 for the room's first holder, +1 each time another node takes it */
  readonly epoch: number;
  /** ms since the epoch, on the claiming node's clock; free for anyone at or after it */
  readonly expiresAt: number;
}

export interface LeaseStore {
  /**
   * Takes the room's lease for `nodeId` until `now + ttlMs` when it is free, expired or already
   * `nodeId`'s (a renewal keeps the epoch; a take-over from another node raises it), atomically against
   * every other claimer. Returns the lease as it stands afterwards: its `nodeId` says who holds it.
   */
  claim(roomId: RoomId, nodeId: string, now: number, ttlMs: number): Promise<RoomLease>;
  /** ends the lease now if `nodeId` still holds it at `epoch` (orderly shutdown, the room ended); keeps the epoch */
  release(roomId: RoomId, nodeId: string, epoch: number): Promise<void>;
  get(roomId: RoomId): Promise<RoomLease | null>;
}
