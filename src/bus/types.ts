/**
 * @module bus/types — how parts of Amphi tell each other that a room changed. In-process today
 * (local.ts); a NATS implementation will sit beside it with the same interface so rooms can span nodes.
 * Messages carry the room's new state and what happened, never a socket or a person's connection.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import type { RoomEvent } from '../domain/room-events.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { UserView } from '../protocol/api-views.ts';

/** a change of a room's hand-raise queue as it travels (the store's HandChange: rows, lowered ids, the count and its seq) */
export interface HandChangeMessage {
  readonly added: ReadonlyArray<{ readonly userId: UserId; readonly at: number; readonly tier: 0 | 1 | 2 }>;
  readonly removed: readonly UserId[];
  readonly count: number;
  /** +1 per change: a node keeps the count of the highest seq it saw, whatever order changes arrive in */
  readonly seq: number;
}

/**
 * A state message carries the store's version of the state it holds (1 at creation, +1 per write):
 * across nodes messages can arrive late or twice, and a node drops one older than the state it already
 * has. `names` are the people the message names (stage, invites, who acted on whom), as the deciding
 * node knew them: a node that never read those accounts shows them by name without a query.
 */
export type RoomStateMessage =
  /** a room's state was written (or events happened at this version); `events` says what happened (notices to send, people to disconnect) */
  | { readonly type: 'roomChanged'; readonly roomId: RoomId; readonly state: RoomState; readonly version: number; readonly events: readonly RoomEvent[]; readonly names?: readonly UserView[] }
  /** a room was created or loaded: nodes may start tracking it */
  | { readonly type: 'roomOpened'; readonly roomId: RoomId; readonly state: RoomState; readonly version: number; readonly names?: readonly UserView[] };

export type BusMessage =
  | RoomStateMessage
  /**
   * hands went up or came down in a room's queue (rows in the store, never in its state): every node's
   * hub tells the people concerned and, once a tick, the moderators connected to it; `names` are the
   * people whose hands went up. Not versioned: the change's own `seq` orders counts.
   */
  | { readonly type: 'handsChanged'; readonly roomId: RoomId; readonly change: HandChangeMessage; readonly names: readonly UserView[] };

export type BusHandler = (msg: BusMessage) => void;

export interface Bus {
  publish(msg: BusMessage): void;
  /** returns the unsubscribe function */
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}
