/**
 * @module reaction-limiter — at most LIMITS.reactionsPerSecond reactions per person per second in each
 * room; the rest are dropped, never queued. Counted in whole-second windows: each room keeps only the
 * current second's counts and starts afresh when the second changes, so the work per reaction is O(1)
 * and memory is bounded by the people who reacted within one second, whatever the audience.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import { LIMITS } from '../domain/limits.ts';

export class ReactionLimiter {
  readonly #rooms = new Map<RoomId, { second: number; counts: Map<UserId, number> }>();

  allow(roomId: RoomId, userId: UserId, now: number): boolean {
    const second = Math.floor(now / 1000);
    let room = this.#rooms.get(roomId);
    if (!room || room.second !== second) {
      room = { second, counts: new Map() };
      this.#rooms.set(roomId, room);
    }
    const n = room.counts.get(userId) ?? 0;
    if (n >= LIMITS.reactionsPerSecond) return false;
    room.counts.set(userId, n + 1);
    return true;
  }

  /** the room ended: forget it */
  dropRoom(roomId: RoomId): void {
    this.#rooms.delete(roomId);
  }
}
