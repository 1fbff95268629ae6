/**
 * @module user-directory — names and handles for the few people a room view shows (stage members,
 * hand raises, audit actors), cached so building the room view each tick is synchronous and needs no
 * query. Never caches passwords or sessions; never holds the audience.
 */
import type { UserId } from '../domain/ids.ts';
import type { UserView } from '../protocol/api-views.ts';
import type { Store } from '../store/types.ts';

const MAX_CACHED = 50_000;

export class UserDirectory {
  readonly #store: Store;
  readonly #cache = new Map<UserId, UserView>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** make sure `get` knows these ids */
  async ensure(ids: Iterable<UserId>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.#cache.has(id));
    if (missing.length === 0) return;
    if (this.#cache.size + missing.length > MAX_CACHED) this.#cache.clear();
    for (const u of await this.#store.getUsers(missing)) {
      this.#cache.set(u.id, { id: u.id, handle: u.handle, displayName: u.displayName });
    }
  }

  remember(user: UserView): void {
    this.#cache.set(user.id as UserId, user);
  }

  /** a known user, or a neutral placeholder when the account is gone */
  get(id: UserId): UserView {
    return this.#cache.get(id) ?? { id, handle: 'unknown', displayName: 'Unknown account' };
  }
}
