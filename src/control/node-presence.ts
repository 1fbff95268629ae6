/**
 * @module node-presence — this node's own side of presence: its counts, read live where they are kept
 * (people in each room from the hub, audio sockets from the listener delivery and live.ogg, the stage
 * members whose control sockets are here), and its
 * report, published once per period for the other nodes to sum (bus/presence.ts). The cost is one
 * pass over the open rooms per period, whatever the audience; nothing here runs per listener. A single
 * node never starts reporting (nobody would hear it). A node told to drain says so at once, so no
 * ticket anywhere sends anyone to it again. It never decides who may listen: admission does.
 */
import type { RoomId } from '../domain/ids.ts';
import { PRESENCE_PERIOD_MS, type NodeReport, type Presence, type PresenceRole, type RoomCounts } from '../bus/presence.ts';
import type { OggBroadcast } from '../delivery/ogg-broadcast.ts';
import type { StreamHub } from '../delivery/stream-hub.ts';
import { asStreamId } from '../delivery/stream-id.ts';
import type { EdgeLoad } from './edge-choice.ts';
import type { RoomHub } from './room-hub.ts';

export interface NodePresenceDeps {
  readonly presence: Pick<Presence, 'publish'>;
  readonly nodeId: string;
  readonly role: PresenceRole;
  /** audio listeners this node takes before it is full (AMPHI_MAX_LISTENERS, admission's ceiling) */
  readonly capacity: number;
  /** the ws(s) origin browsers reach this node's listener sockets at; asked once the port is bound */
  readonly listenOrigin: () => string;
  readonly hub: Pick<RoomHub, 'openRooms' | 'listenersHere' | 'stageHere'>;
  readonly streams: Pick<StreamHub, 'listenerCount' | 'streamListenerCount'>;
  readonly ogg: Pick<OggBroadcast, 'listeners' | 'listenersOf'>;
  readonly onError: (err: unknown) => void;
  readonly periodMs?: number;
}

export class NodePresence {
  readonly #d: NodePresenceDeps;
  #timer: NodeJS.Timeout | null = null;
  #draining = false;

  constructor(deps: NodePresenceDeps) {
    this.#d = deps;
  }

  /** audio listeners on this node now, every room together: what admission counts */
  audio(): number {
    return this.#d.streams.listenerCount() + this.#d.ogg.listeners();
  }

  /** this node's load for a listener asking for `roomId` (edge-choice.ts) */
  loadIn(roomId: RoomId): EdgeLoad {
    return { nodeId: this.#d.nodeId, role: this.#d.role, capacity: this.#d.capacity, draining: this.#draining, audio: this.audio(), roomAudio: this.#audioIn(roomId) };
  }

  /** this node's report now: rooms nobody is in here are left out, so it grows with busy rooms only */
  report(): NodeReport {
    const rooms = new Map<RoomId, RoomCounts>();
    for (const { id } of this.#d.hub.openRooms()) {
      const stage = this.#d.hub.stageHere(id);
      const counts: RoomCounts = { listeners: this.#d.hub.listenersHere(id), audio: this.#audioIn(id), ...(stage.length > 0 && { stage }) };
      if (counts.listeners > 0 || counts.audio > 0 || stage.length > 0) rooms.set(id, counts);
    }
    const { nodeId, role, capacity } = this.#d;
    return { nodeId, role, capacity, draining: this.#draining, listenOrigin: this.#d.listenOrigin(), audio: this.audio(), rooms };
  }

  /** publishes the report now and then once per period, until stop() */
  start(): void {
    if (this.#timer !== null) return;
    this.#publish();
    this.#timer = setInterval(() => this.#publish(), this.#d.periodMs ?? PRESENCE_PERIOD_MS);
    this.#timer.unref();
  }

  /** from now on this node takes nobody new: it tells the others at once rather than at the next period */
  drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    if (this.#timer !== null) this.#publish();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #audioIn(roomId: RoomId): number {
    return this.#d.streams.streamListenerCount(asStreamId(roomId)) + this.#d.ogg.listenersOf(roomId);
  }

  #publish(): void {
    try {
      this.#d.presence.publish(this.report());
    } catch (err) {
      // a report that could not be made is skipped; the next, a period later, says the same and more
      this.#d.onError(err);
    }
  }
}
