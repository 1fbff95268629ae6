/**
 * @module bus/presence — how many people each node holds, told to the other nodes, so that a room's
 * listener count is one number across the cluster and a listen ticket can name the least loaded edge.
 * Each node publishes ONE report per period (never per listener): its id, role, where browsers reach its
 * listener sockets, its capacity, and its counts per room; every node keeps the latest report of each
 * other node and sums the fresh ones. A node whose reports stop for PRESENCE_FRESH_MS drops out, so a
 * dead node's listeners stop counting by themselves. `LocalPresence` is the single node (nobody else to
 * hear: everything elsewhere is 0, exactly as before the cluster); `NatsPresence` is the cluster; both
 * pass presence-contract.test-helper.ts. It knows ids and counts, never sockets or rooms' rules, and a
 * node never counts itself here (its own numbers are live where they are kept).
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import type { Reaction } from '../domain/limits.ts';

/** a node reports once a second: a ticket's choice and a room's count lag the truth by about that much */
export const PRESENCE_PERIOD_MS = 1000;
/** a node silent this long is gone: three missed reports, so one lost message never drops a live node */
export const PRESENCE_FRESH_MS = 3000;

/** what a node does in a cluster (config's AMPHI_NODE_ROLE): only `all` and `edge` take listeners */
export type PresenceRole = 'all' | 'origin' | 'edge';

/** one room on one node */
export interface RoomCounts {
  /** people connected to the room on the node and not on its stage: what the room view counts */
  readonly listeners: number;
  /** the room's audio sockets and live.ogg streams on the node: what makes it an edge serving the room */
  readonly audio: number;
  /**
   * the stage members whose control socket is on the node (left out when none): at most the stage's
   * few, never the audience. The room's origin marks away a member no node holds (their node died).
   */
  readonly stage?: readonly UserId[];
}

export interface NodeReport {
  readonly nodeId: string;
  readonly role: PresenceRole;
  /** the ws(s) origin browsers reach this node's listener sockets at */
  readonly listenOrigin: string;
  /** audio listeners the node takes before it is full (AMPHI_MAX_LISTENERS) */
  readonly capacity: number;
  /** sending its listeners elsewhere before it stops (SIGTERM): it takes nobody new, whatever its load */
  readonly draining: boolean;
  /** audio listeners on the node now, every room together (what its admission counts) */
  readonly audio: number;
  /** the rooms anyone is in on this node; a room left out has nobody here */
  readonly rooms: ReadonlyMap<RoomId, RoomCounts>;
}

/** reactions a node counted in one tick, per room (rooms with none left out) */
export type ReactionCounts = ReadonlyMap<RoomId, Readonly<Partial<Record<Reaction, number>>>>;

export interface Presence {
  /** tells the other nodes this node's counts now; called once per period, never per listener */
  publish(report: NodeReport): void;
  /**
   * the latest report of each OTHER node heard within PRESENCE_FRESH_MS; the same object until a newer
   * report from that node arrives (callers may key what they add to it on the object)
   */
  others(): readonly NodeReport[];
  /** the room's listeners on the other nodes: the sum over their fresh reports */
  listenersElsewhere(roomId: RoomId): number;
  /**
   * tells the other nodes the reactions this node counted in its last tick: at most one message per
   * tick for all rooms, never one per reaction or per listener; a lost one is lost (reactions are a
   * moment's applause, not a record)
   */
  shareReactions(counts: ReactionCounts): void;
  /** `handler` gets each other node's shared reactions once, as they arrive; never this node's own */
  onReactions(handler: (counts: ReactionCounts) => void): () => void;
  /** stops listening; a networked node also tells the others it is gone, so they drop it at once */
  close(): Promise<void>;
}
