/**
 * @module bus/revocations — who has lost access to which room, and since when. A host's removal or
 * block must end a person's access at once on every path: their open sockets close (every subscriber
 * hears the revocation and closes what it holds), and a listen token issued before it is refused even
 * though its signature is good and it has not expired. The local implementation (one process) and the
 * NATS one (across nodes) sit beside this file, and both must pass revocations-contract.test-helper.ts.
 * Knows ids and instants, never sockets.
 */
import type { RoomId, UserId } from '../domain/ids.ts';

/** why access ended: a removal is for good; a block lasts until the host unblocks */
export type RevocationCause = 'removed' | 'blocked';

export interface Revocation {
  readonly roomId: RoomId;
  readonly userId: UserId;
  /**
   * ms since the epoch, on the revoking node's clock: listen tokens issued at or before this instant are
   * refused (tokens issued later passed the room's rules after it, so they are the rules' business)
   */
  readonly at: number;
  readonly cause: RevocationCause;
}

export type RevocationHandler = (r: Revocation) => void;

export interface Revocations {
  /** records the revocation; every subscriber hears it, on this node synchronously, on others within 1 s */
  revoke(r: Revocation): void;
  /** the revocation that refuses a listen token of `userId` for `roomId` issued at `issuedAt`, or null */
  refusing(roomId: RoomId, userId: UserId, issuedAt: number): Revocation | null;
  /** called with each revocation, to close what the subscriber holds; returns the unsubscribe function */
  subscribe(handler: RevocationHandler): () => void;
  close(): Promise<void>;
}
