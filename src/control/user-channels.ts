/**
 * @module user-channels — the per-user live channels: every open event stream of every signed-in person
 * on this node, so a notification or a fan-out's progress reaches them the moment it is written, and
 * through the user push (bus/user-push.ts) the streams other nodes of a cluster hold: an event written
 * here goes to this node's streams and to the nodes listening for that person, and this node listens for
 * a person while it holds a stream of theirs. Sends one serialised event to the streams of one person;
 * knows nothing of HTTP or SSE framing, and never holds anyone who is not connected.
 */
import type { UserId } from '../domain/ids.ts';
import { USER_EVENT_TYPES, type UserEvent } from '../protocol/notify-views.ts';
import { LocalUserPush, type UserPush } from '../bus/user-push.ts';

/** one open stream; `send` must not throw for a closed stream (the stream unsubscribes itself) */
export interface UserEventSink {
  send(event: UserEvent['type'], json: string): void;
}

const isPushedType = (t: string): t is UserEvent['type'] => t !== 'ready' && (USER_EVENT_TYPES as readonly string[]).includes(t);

export class UserChannels {
  readonly #byUser = new Map<UserId, Set<UserEventSink>>();
  /** per person with a stream here: stops listening for what other nodes push them */
  readonly #unlisten = new Map<UserId, () => void>();
  readonly #push: UserPush;

  constructor(push: UserPush = new LocalUserPush()) {
    this.#push = push;
  }

  /** returns the function that removes this stream */
  subscribe(userId: UserId, sink: UserEventSink): () => void {
    let set = this.#byUser.get(userId);
    if (!set) {
      set = new Set();
      this.#byUser.set(userId, set);
      this.#unlisten.set(
        userId,
        this.#push.listen(userId, (type, json) => {
          // another node's push: only the event types a stream knows ('ready' is each stream's own)
          if (isPushedType(type)) this.#deliver(userId, type, json);
        }),
      );
    }
    set.add(sink);
    return () => {
      const s = this.#byUser.get(userId);
      if (!s) return;
      s.delete(sink);
      if (s.size > 0) return;
      this.#byUser.delete(userId);
      this.#unlisten.get(userId)?.();
      this.#unlisten.delete(userId);
    };
  }

  /** whether an event for this person may reach a stream: one here, or (in a cluster) one on any node */
  has(userId: UserId): boolean {
    return this.#push.networked || this.#byUser.has(userId);
  }

  /** people with at least one open stream on this node */
  get connected(): number {
    return this.#byUser.size;
  }

  send(userId: UserId, event: UserEvent): void {
    const set = this.#byUser.get(userId);
    if (!set && !this.#push.networked) return;
    const { type, ...data } = event;
    const json = JSON.stringify(data);
    this.#deliver(userId, type, json);
    this.#push.publish(userId, type, json);
  }

  #deliver(userId: UserId, type: UserEvent['type'], json: string): void {
    for (const sink of this.#byUser.get(userId) ?? []) sink.send(type, json);
  }
}
