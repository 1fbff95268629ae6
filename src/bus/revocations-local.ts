/**
 * @module bus/revocations-local — revocations inside one process: a map from (room, person) to their
 * latest revocation, and subscribers called synchronously in order. A revocation is kept only while a
 * token issued before it could still be alive (`keepMs`, the tokens' lifetime): after that every such
 * token has expired by itself, so memory holds the last minute of removals and blocks, never more. A
 * subscriber that throws is reported through `onError` and never stops delivery to the others.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import type { Revocation, RevocationHandler, Revocations } from './revocations.ts';

export interface LocalRevocationsOptions {
  readonly now: () => number;
  /** how long a listen token lives: a revocation older than this refuses nothing any more */
  readonly keepMs: number;
  readonly onError: (err: unknown, r: Revocation) => void;
}

const keyOf = (roomId: RoomId, userId: UserId): string => `${roomId}\n${userId}`;

export class LocalRevocations implements Revocations {
  readonly #o: LocalRevocationsOptions;
  /** in the order they were recorded, so the oldest are pruned from the front */
  readonly #latest = new Map<string, Revocation>();
  readonly #handlers = new Set<RevocationHandler>();

  constructor(options: LocalRevocationsOptions) {
    this.#o = options;
  }

  /** revocations held now (bounded by what happened within `keepMs`) */
  get size(): number {
    this.#prune();
    return this.#latest.size;
  }

  /** the revocations that still refuse tokens, oldest recorded first: what a node tells a peer that asks */
  held(): Revocation[] {
    this.#prune();
    return [...this.#latest.values()].filter((r) => !this.#expired(r));
  }

  revoke(r: Revocation): void {
    this.#prune();
    const key = keyOf(r.roomId, r.userId);
    const known = this.#latest.get(key);
    if (known === undefined || known.at <= r.at) {
      this.#latest.delete(key);
      this.#latest.set(key, r);
    }
    for (const h of this.#handlers) {
      try {
        h(r);
      } catch (err) {
        this.#o.onError(err, r);
      }
    }
  }

  refusing(roomId: RoomId, userId: UserId, issuedAt: number): Revocation | null {
    const r = this.#latest.get(keyOf(roomId, userId));
    if (r === undefined || this.#expired(r)) return null;
    return issuedAt <= r.at ? r : null;
  }

  subscribe(handler: RevocationHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.#handlers.clear();
    this.#latest.clear();
  }

  #expired(r: Revocation): boolean {
    return this.#o.now() >= r.at + this.#o.keepMs;
  }

  #prune(): void {
    for (const [key, r] of this.#latest) {
      if (!this.#expired(r)) return;
      this.#latest.delete(key);
    }
  }
}
