/**
 * @module bus/types — how parts of Amphi tell each other that a room changed. In-process today
 * (local.ts); a NATS implementation will sit beside it with the same interface so rooms can span nodes.
 * Messages carry the room's new state and what happened, never a socket or a person's connection.
 */
import type { RoomId } from '../domain/ids.ts';
import type { RoomEvent } from '../domain/room-events.ts';
import type { RoomState } from '../domain/room-state.ts';

/**
 * Every message carries the store's version of the state it holds (1 at creation, +1 per write): across
 * nodes messages can arrive late or twice, and a node drops one older than the state it already has.
 */
export type BusMessage =
  /** a room's state was written (or events happened at this version); `events` says what happened (notices to send, people to disconnect) */
  | { readonly type: 'roomChanged'; readonly roomId: RoomId; readonly state: RoomState; readonly version: number; readonly events: readonly RoomEvent[] }
  /** a room was created or loaded: nodes may start tracking it */
  | { readonly type: 'roomOpened'; readonly roomId: RoomId; readonly state: RoomState; readonly version: number };

export type BusHandler = (msg: BusMessage) => void;

export interface Bus {
  publish(msg: BusMessage): void;
  /** returns the unsubscribe function */
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}
