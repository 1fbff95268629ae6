/**
 * @module program-relay — how a room's program frames get from the node that produces them (the room's
 * origin: stage, mixer, clock) to every node that has listeners for it (edges). The origin publishes
 * each frame ONCE, whatever the number of edges and listeners; each edge subscribes once per room it
 * serves and fans out locally. `LocalRelay` is the single node (origin and edge in one process);
 * `NatsRelay` (nats-relay.ts) is the cluster. Frames keep the origin's seqs and capture times, so an
 * edge's listeners resume across edges and across a change of origin. It never batches, reorders or
 * drops a frame on purpose.
 */
import type { AudioFrame } from '../protocol/listener-frame.ts';

export type FrameHandler = (frame: AudioFrame) => void;

export interface ProgramRelay {
  /** the origin's side: one frame of a room's program */
  publish(roomId: string, frame: AudioFrame): void;
  /** an edge's side: the room's frames from now on; returns what stops them */
  subscribe(roomId: string, onFrame: FrameHandler): () => void;
  close(): Promise<void>;
}

/** one process: a publish is a call to each subscriber of the room, at once */
export class LocalRelay implements ProgramRelay {
  readonly #rooms = new Map<string, Set<FrameHandler>>();
  readonly #onError: (err: unknown, roomId: string) => void;

  constructor(onError: (err: unknown, roomId: string) => void) {
    this.#onError = onError;
  }

  publish(roomId: string, frame: AudioFrame): void {
    const handlers = this.#rooms.get(roomId);
    if (handlers === undefined) return;
    for (const h of handlers) {
      try {
        h(frame);
      } catch (err) {
        this.#onError(err, roomId);
      }
    }
  }

  subscribe(roomId: string, onFrame: FrameHandler): () => void {
    let set = this.#rooms.get(roomId);
    if (set === undefined) {
      set = new Set();
      this.#rooms.set(roomId, set);
    }
    set.add(onFrame);
    return () => {
      set.delete(onFrame);
      if (set.size === 0 && this.#rooms.get(roomId) === set) this.#rooms.delete(roomId);
    };
  }

  async close(): Promise<void> {
    this.#rooms.clear();
  }
}
