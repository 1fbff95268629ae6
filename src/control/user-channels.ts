/**
 * @module user-channels — this node's per-user live channels: every open event stream of every signed-in
 * person, so a notification or a fan-out's progress reaches them the moment it is written. Sends one
 * serialised event to the streams of one person; knows nothing of HTTP or SSE framing, and never holds
 * anyone who is not connected.
 */
import type { UserId } from '../domain/ids.ts';
import type { UserEvent } from '../protocol/notify-views.ts';

/** one open stream; `send` must not throw for a closed stream (the stream unsubscribes itself) */
export interface UserEventSink {
  send(event: UserEvent['type'], json: string): void;
}

export class UserChannels {
  readonly #byUser = new Map<UserId, Set<UserEventSink>>();

  /** returns the function that removes this stream */
  subscribe(userId: UserId, sink: UserEventSink): () => void {
    let set = this.#byUser.get(userId);
    if (!set) {
      set = new Set();
      this.#byUser.set(userId, set);
    }
    set.add(sink);
    return () => {
      const s = this.#byUser.get(userId);
      if (!s) return;
      s.delete(sink);
      if (s.size === 0) this.#byUser.delete(userId);
    };
  }

  has(userId: UserId): boolean {
    return this.#byUser.has(userId);
  }

  /** people with at least one open stream on this node */
  get connected(): number {
    return this.#byUser.size;
  }

  send(userId: UserId, event: UserEvent): void {
    const set = this.#byUser.get(userId);
    if (!set) return;
    const { type, ...data } = event;
    const json = JSON.stringify(data);
    for (const sink of set) sink.send(type, json);
  }
}
