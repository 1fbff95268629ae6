/**
 * @module block-cache — "has this host blocked this person?" with a short memory, because every signed-in
 * join and reaction asks it and a join storm must not become a query storm. Answers live for `ttlMs`;
 * blocking or unblocking through the account service forgets the pair at once, so on this node a block
 * applies to the very next join, and tells whoever registered with `onBlocked` (the room service ends
 * what the blocked person already holds). Bounded: the oldest answers go first.
 */
import type { UserId } from '../domain/ids.ts';
import type { Store } from '../store/types.ts';

export class BlockCache {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #answers = new Map<string, { blocked: boolean; at: number }>();
  #onBlocked: (blocker: UserId, blocked: UserId) => void = () => undefined;

  constructor(store: Store, now: () => number, ttlMs = 30_000, max = 100_000) {
    this.#store = store;
    this.#now = now;
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  async isBlocked(blocker: UserId, blocked: UserId): Promise<boolean> {
    const key = `${blocker}\n${blocked}`;
    const now = this.#now();
    const hit = this.#answers.get(key);
    if (hit && now - hit.at < this.#ttlMs) return hit.blocked;
    const answer = await this.#store.isBlocked(blocker, blocked);
    if (this.#answers.size >= this.#max) {
      const oldest = this.#answers.keys().next().value;
      if (oldest !== undefined) this.#answers.delete(oldest);
    }
    this.#answers.delete(key);
    this.#answers.set(key, { blocked: answer, at: now });
    return answer;
  }

  /** called after a block is stored, once per block */
  onBlocked(callback: (blocker: UserId, blocked: UserId) => void): void {
    this.#onBlocked = callback;
  }

  /** the store now says `on` for this pair: the cached answer goes, and a new block is announced */
  changed(blocker: UserId, blocked: UserId, on: boolean): void {
    this.#answers.delete(`${blocker}\n${blocked}`);
    if (on) this.#onBlocked(blocker, blocked);
  }
}
