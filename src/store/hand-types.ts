/**
 * @module store/hand-types — the hand-raise queue as the store keeps it: one row per raised hand, never
 * in the room's JSON, so raising, lowering and deciding on a room cost the same with 5 hands or 50,000.
 * Each row carries the order the host reads the queue in (`tier`: people the host follows, then people
 * who spoke in the host's rooms before, then everyone else; earliest first within a tier), judged once
 * when the hand goes up. A per-room count and change sequence are kept beside the rows so the count is
 * O(1) and a node can tell an older count from a newer one. Types only; the rules never see rows.
 */
import type { RoomId, UserId } from '../domain/ids.ts';

/** 0: the host follows them; 1: they spoke on the stage of one of the host's rooms before; 2: anyone else */
export type HandTier = 0 | 1 | 2;

export interface HandRow {
  readonly userId: UserId;
  /** when the hand went up (ms since the epoch) */
  readonly at: number;
  readonly tier: HandTier;
}

export interface HandChange {
  /** hands that went up in this change (raises of hands already up are left out) */
  readonly added: readonly HandRow[];
  /** hands that came down in this change (lowers of hands not up are left out) */
  readonly removed: readonly UserId[];
  /** hands up in the room after the change */
  readonly count: number;
  /** +1 per change that moved anything: a newer count has a higher seq */
  readonly seq: number;
}

export interface HandPage {
  readonly rows: readonly HandRow[];
  /** rows matching the search (all of the room's when there is none) */
  readonly total: number;
}

export interface HandStore {
  /**
   * Raises and lowers hands in one transaction, each idempotently (a raise of a hand up, or a lower of
   * a hand down, changes nothing); a raise's tier is judged against `hostId` there. Each costs the same
   * whatever the queue's length. Lowers apply after raises.
   */
  apply(roomId: RoomId, hostId: UserId, raises: ReadonlyArray<{ readonly userId: UserId; readonly at: number }>, lowers: readonly UserId[]): Promise<HandChange>;
  /** which of `userIds` have a hand up in the room */
  raised(roomId: RoomId, userIds: readonly UserId[]): Promise<ReadonlySet<UserId>>;
  /**
   * The queue in the host's order (tier, then earliest, then user id), `limit` rows from `offset`;
   * `search` keeps people whose handle or display name contains it (case-insensitive).
   */
  page(roomId: RoomId, opts: { readonly offset: number; readonly limit: number; readonly search?: string }): Promise<HandPage>;
  /** the count and its seq (0, 0 for a room with no change yet) */
  count(roomId: RoomId): Promise<{ readonly count: number; readonly seq: number }>;
  /** `userId` came onto the stage of a room `hostId` hosts: their next hand in the host's rooms ranks higher */
  noteSpoke(hostId: UserId, userId: UserId, at: number): Promise<void>;
}
