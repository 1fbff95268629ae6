/**
 * @module program-relay — how a room's program frames get from the node that produces them (the room's
 * origin: stage, mixer, clock) to every node that has listeners for it (edges). The origin publishes
 * each frame ONCE, whatever the number of edges and listeners; each edge subscribes once per room it
 * serves and fans out locally. `LocalRelay` is the single node (origin and edge in one process);
 * `NatsRelay` (nats-relay.ts) is the cluster. Frames keep the origin's seqs and capture times, so an
 * edge's listeners resume across edges and across a change of origin. Each frame carries the epoch of
 * the origin's placement lease, and a subscription drops frames of an epoch older than one it has
 * seen: a node that lost a room's lease without knowing it yet (cut off from the database) is fenced
 * out by the edges. It never batches or reorders a frame, and drops only fenced ones.
 */
import type { AudioFrame } from '../protocol/listener-frame.ts';

export type FrameHandler = (frame: AudioFrame) => void;

export interface ProgramRelay {
  /** the origin's side: one frame of a room's program, under the origin's lease `epoch` */
  publish(roomId: string, frame: AudioFrame, epoch: number): void;
  /** an edge's side: the room's frames from now on; returns what stops them */
  subscribe(roomId: string, onFrame: FrameHandler): () => void;
  close(): Promise<void>;
}

/**
 * One room's subscribers on a node, behind its epoch fence: what both relays hand each arriving frame to.
 * `fenced` counts frames dropped as coming from an origin older than the newest one heard.
 */
export class RoomSubscribers {
  readonly handlers = new Set<FrameHandler>();
  #epoch = 0;
  fenced = 0;

  deliver(frame: AudioFrame, epoch: number, onError: (err: unknown) => void): void {
    if (epoch < this.#epoch) {
      this.fenced += 1;
      return;
    }
    this.#epoch = epoch;
    for (const h of this.handlers) {
      try {
        h(frame);
      } catch (err) {
        onError(err);
      }
    }
  }
}

/** one process: a publish is a call to each subscriber of the room, at once */
export class LocalRelay implements ProgramRelay {
  readonly #rooms = new Map<string, RoomSubscribers>();
  readonly #onError: (err: unknown, roomId: string) => void;

  constructor(onError: (err: unknown, roomId: string) => void) {
    this.#onError = onError;
  }

  publish(roomId: string, frame: AudioFrame, epoch: number): void {
    this.#rooms.get(roomId)?.deliver(frame, epoch, (err) => this.#onError(err, roomId));
  }

  subscribe(roomId: string, onFrame: FrameHandler): () => void {
    let room = this.#rooms.get(roomId);
    if (room === undefined) {
      room = new RoomSubscribers();
      this.#rooms.set(roomId, room);
    }
    const r = room;
    r.handlers.add(onFrame);
    return () => {
      r.handlers.delete(onFrame);
      if (r.handlers.size === 0 && this.#rooms.get(roomId) === r) this.#rooms.delete(roomId);
    };
  }

  async close(): Promise<void> {
    this.#rooms.clear();
  }
}
