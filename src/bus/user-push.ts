/**
 * @module bus/user-push — a person's live events (a notification, a fan-out's progress) from the node
 * that wrote them to the nodes that hold that person's event streams. A node listens for a person only
 * while it holds a stream of theirs, and hears only what other nodes pushed (its own streams were told
 * already). The local implementation has no other nodes: it pushes nowhere and everyone is here.
 * It carries serialised events as they are; it never decides who may see them and never stores them.
 */
import type { UserId } from '../domain/ids.ts';

/** one event for one person, serialised once: its SSE event type and its JSON data */
export type UserPushDeliver = (type: string, json: string) => void;

export interface UserPush {
  /** true when other nodes may hold this person's streams: a writer must push even if none is here */
  readonly networked: boolean;
  /** to the other nodes holding streams of `userId` (nothing on a single node) */
  publish(userId: UserId, type: string, json: string): void;
  /** hear what other nodes push to `userId`, until the returned function is called */
  listen(userId: UserId, deliver: UserPushDeliver): () => void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export class LocalUserPush implements UserPush {
  readonly networked = false;

  publish(): void {}

  listen(): () => void {
    return () => undefined;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
