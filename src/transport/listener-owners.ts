/**
 * @module listener-owners — which signed-in person holds which listener socket, per room, so a removal
 * closes that person's audio at once on this node (their join token alone would keep it open). Shared
 * by both listener socket servers (`ws` and uWebSockets.js). Anonymous listeners are never indexed: a
 * removal names a person, and this must cost nothing per anonymous join.
 */
import { CLOSE_CODES, closeReason } from '../protocol/close-codes.ts';
import type { BusMessage } from '../bus/types.ts';

/** anything that can close a listener's socket */
export interface ClosableListener {
  close(code: number, reason: string): void;
}

export class ListenerOwners {
  readonly #byRoom = new Map<string, Map<string, Set<ClosableListener>>>();

  /** indexes the socket; returns the function that forgets it (call it when the socket closes) */
  add(roomId: string, userId: string, sock: ClosableListener): () => void {
    let users = this.#byRoom.get(roomId);
    if (!users) this.#byRoom.set(roomId, (users = new Map()));
    let set = users.get(userId);
    if (!set) users.set(userId, (set = new Set()));
    set.add(sock);
    return () => {
      const u = this.#byRoom.get(roomId);
      const s = u?.get(userId);
      if (!s) return;
      s.delete(sock);
      if (s.size === 0) u?.delete(userId);
      if (u?.size === 0) this.#byRoom.delete(roomId);
    };
  }

  /** a removed person loses their audio at once; an ended room forgets everyone */
  onBus(msg: BusMessage): void {
    if (msg.type !== 'roomChanged') return;
    if (msg.state.status === 'ended') {
      this.#byRoom.delete(msg.roomId);
      return;
    }
    for (const ev of msg.events) {
      if (ev.type !== 'removed') continue;
      for (const sock of [...(this.#byRoom.get(msg.roomId)?.get(ev.userId) ?? [])]) sock.close(CLOSE_CODES.removed, closeReason(CLOSE_CODES.removed));
    }
  }
}
