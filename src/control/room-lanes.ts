/**
 * @module room-lanes — the order in which one node applies the actions of each room: one at a time, in
 * two lanes. The moderators' lane (everything a host, co-host or stage member does, and the server's
 * tick) always goes first, one action at a time in arrival order; the audience's lane (hand raises and
 * lowers) runs only when the moderators' lane is empty, and then as one batch of everything waiting
 * (up to `maxBatch`), which the caller applies in one transaction. So a host's mute never waits behind
 * more than the one batch already running, however many hands are going up, and a storm of raises
 * costs one transaction per batch, not one per raise. Never decides a rule and never touches the store
 * itself: the runs it is given do.
 */
import type { RoomId } from '../domain/ids.ts';

interface Waiting<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (err: unknown) => void;
}

interface Lanes<A, R> {
  readonly moderators: Array<{ readonly run: () => Promise<unknown> } & Waiting<unknown>>;
  readonly audience: Array<{ readonly ask: A } & Waiting<R>>;
}

/** what a batch answers for each ask, in the order given: a value, or the error that ask alone failed with */
export type Answer<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

export class RoomLanes<A, R> {
  readonly #rooms = new Map<RoomId, Lanes<A, R>>();
  readonly #runBatch: (roomId: RoomId, asks: readonly A[]) => Promise<readonly Answer<R>[]>;
  readonly #maxBatch: number;

  constructor(runBatch: (roomId: RoomId, asks: readonly A[]) => Promise<readonly Answer<R>[]>, maxBatch = 500) {
    this.#runBatch = runBatch;
    this.#maxBatch = maxBatch;
  }

  /** runs `run` after the room's moderator actions already waiting, ahead of every waiting audience ask */
  moderator<T>(roomId: RoomId, run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#lanes(roomId).moderators.push({ run, resolve: (v) => resolve(v as T), reject });
    });
  }

  /** queues one audience ask; it is answered when the batch it joins has run */
  audience(roomId: RoomId, ask: A): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#lanes(roomId).audience.push({ ask, resolve, reject });
    });
  }

  /** asks waiting in the room's two lanes, for metrics and tests */
  waiting(roomId: RoomId): { readonly moderators: number; readonly audience: number } {
    const l = this.#rooms.get(roomId);
    return { moderators: l?.moderators.length ?? 0, audience: l?.audience.length ?? 0 };
  }

  #lanes(roomId: RoomId): Lanes<A, R> {
    let lanes = this.#rooms.get(roomId);
    if (lanes === undefined) {
      lanes = { moderators: [], audience: [] };
      this.#rooms.set(roomId, lanes);
      // the worker starts on the next microtask, so asks made in the same turn share its first batch
      void Promise.resolve().then(() => this.#work(roomId, lanes as Lanes<A, R>));
    }
    return lanes;
  }

  async #work(roomId: RoomId, lanes: Lanes<A, R>): Promise<void> {
    for (;;) {
      const next = lanes.moderators.shift();
      if (next !== undefined) {
        try {
          next.resolve(await next.run());
        } catch (err) {
          next.reject(err);
        }
        continue;
      }
      if (lanes.audience.length === 0) break;
      const batch = lanes.audience.splice(0, this.#maxBatch);
      try {
        const answers = await this.#runBatch(roomId, batch.map((b) => b.ask));
        batch.forEach((b, i) => {
          const a = answers[i];
          if (a === undefined) b.reject(new Error('a batch answered fewer asks than it was given'));
          else if (a.ok) b.resolve(a.value);
          else b.reject(a.error);
        });
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.#rooms.delete(roomId);
  }
}
