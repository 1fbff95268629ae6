/**
 * @module listener-owners — which signed-in person holds which listener socket, per room, so a removal
 * or a block closes that person's audio at once on this node, and refuses the listen token they got
 * before it (its signature alone would keep letting them in until it expires). Shared by both listener
 * socket servers (`ws` and uWebSockets.js) and the Ogg stream. Anonymous listeners are never indexed: a
 * revocation names a person, and this must cost nothing per anonymous join.
 */
import { CLOSE_CODES, closeReason, type CloseCode } from '../protocol/close-codes.ts';
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { BusMessage } from '../bus/types.ts';
import type { Revocation, Revocations } from '../bus/revocations.ts';

/** anything that can close a listener's socket */
export interface ClosableListener {
  close(code: number, reason: string): void;
}

type Refusal = { readonly code: CloseCode; readonly reason: string };

/** how a revoked person's listener socket is closed, or their token refused */
function revokedClose(r: Revocation): Refusal {
  return r.cause === 'removed'
    ? { code: CLOSE_CODES.removed, reason: closeReason(CLOSE_CODES.removed) }
    : { code: CLOSE_CODES.forbidden, reason: 'the host of this room has blocked you' };
}

export class ListenerOwners {
  readonly #byRoom = new Map<string, Map<string, Set<ClosableListener>>>();
  readonly #revocations: Revocations;
  readonly #unsubscribe: () => void;

  constructor(revocations: Revocations) {
    this.#revocations = revocations;
    this.#unsubscribe = revocations.subscribe((r) => this.#onRevoked(r));
  }

  /**
   * how to close a socket whose holder got in at `since` (a token's issue time, or when the rules were
   * asked) if they were removed or blocked at or after it; null: let it in. Anonymous people pass.
   */
  refusal(roomId: string, userId: string | null, since: number): Refusal | null {
    if (userId === null) return null;
    const r = this.#revocations.refusing(asRoomId(roomId), asUserId(userId), since);
    return r === null ? null : revokedClose(r);
  }

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

  /** an ended room forgets everyone */
  onBus(msg: BusMessage): void {
    if (msg.type === 'roomChanged' && msg.state.status === 'ended') this.#byRoom.delete(msg.roomId);
  }

  close(): void {
    this.#unsubscribe();
    this.#byRoom.clear();
  }

  /** a removed or blocked person loses their audio at once */
  #onRevoked(r: Revocation): void {
    const sockets = this.#byRoom.get(r.roomId)?.get(r.userId);
    if (!sockets) return;
    const { code, reason } = revokedClose(r);
    for (const sock of [...sockets]) sock.close(code, reason);
  }
}
