/**
 * @module version-gate — per room, the newest store version a node has seen, so a message older than
 * that is dropped instead of overwriting newer state (across nodes a message can arrive late, or after
 * a reconnect twice). A message at the version already held still passes: a room's events may happen
 * without a write (same version), and its state is the same state. Ended rooms are forgotten after a
 * while so the map does not grow forever. Pure bookkeeping: no I/O, time comes in as an argument.
 */
import type { RoomId } from '../domain/ids.ts';
import type { BusMessage } from './types.ts';

/** how long an ended room's last version is kept (a late message about it must still be dropped) */
const FORGET_ENDED_MS = 10 * 60_000;

export class VersionGate {
  readonly #latest = new Map<RoomId, number>();
  readonly #endedAt = new Map<RoomId, number>();
  #dropped = 0;

  /** messages dropped as stale since start */
  get dropped(): number {
    return this.#dropped;
  }

  /** true if the message is at least as new as what this node has: deliver it; false: drop it (counted) */
  admit(msg: BusMessage, now: number): boolean {
    // a queue's change is ordered by its own seq (the hub keeps the newest count), not the room's version
    if (msg.type === 'handsChanged') return true;
    const held = this.#latest.get(msg.roomId);
    if (held !== undefined && msg.version < held) {
      this.#dropped++;
      return false;
    }
    this.#latest.set(msg.roomId, msg.version);
    if (msg.state.status === 'ended') this.#endedAt.set(msg.roomId, now);
    if (this.#endedAt.size > 0) this.#forget(now);
    return true;
  }

  #forget(now: number): void {
    for (const [roomId, at] of this.#endedAt) {
      if (now - at < FORGET_ENDED_MS) continue;
      this.#endedAt.delete(roomId);
      this.#latest.delete(roomId);
    }
  }
}
