/**
 * @module nats-relay — the program relay of a cluster, on NATS core subjects `amphi.room.<id>.program`:
 * the origin publishes each frame once, binary (relay-frame.ts); an edge holds one subscription per room
 * it serves, however many listeners it has there. NATS core is at-most-once: a frame lost on a broken
 * connection is a gap the listeners' seqs show, and the client reconnects and renews subscriptions by
 * itself. It must never block the origin's publish on the network.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { AudioFrame } from '../protocol/listener-frame.ts';
import { connectNats } from './nats-connection.ts';
import { decodeRelayFrame, encodeRelayFrame } from './relay-frame.ts';
import { RoomSubscribers, type FrameHandler, type ProgramRelay } from './program-relay.ts';
import { programSubject } from './subjects.ts';

export interface NatsRelayOptions {
  readonly servers: string;
  readonly nodeId: string;
  readonly onError: (err: unknown, roomId: string | null) => void;
}

export class NatsRelay implements ProgramRelay {
  readonly #nc: NatsConnection;
  readonly #o: NatsRelayOptions;
  readonly #subs = new Map<string, { readonly sub: Subscription; readonly room: RoomSubscribers }>();

  private constructor(nc: NatsConnection, options: NatsRelayOptions) {
    this.#nc = nc;
    this.#o = options;
  }

  static async connect(options: NatsRelayOptions): Promise<NatsRelay> {
    const nc = await connectNats(options.servers, `amphi-relay-${options.nodeId}`);
    return new NatsRelay(nc, options);
  }

  publish(roomId: string, frame: AudioFrame, epoch: number): void {
    try {
      this.#nc.publish(programSubject(roomId), encodeRelayFrame(frame, epoch));
    } catch (err) {
      this.#o.onError(err, roomId);
    }
  }

  subscribe(roomId: string, onFrame: FrameHandler): () => void {
    let entry = this.#subs.get(roomId);
    if (entry === undefined) {
      const room = new RoomSubscribers();
      const sub = this.#nc.subscribe(programSubject(roomId), {
        callback: (err, m) => {
          if (err) return this.#o.onError(err, roomId);
          const relayed = decodeRelayFrame(m.data);
          if (relayed === null) return this.#o.onError(new RangeError(`a ${m.data.byteLength}-byte message on ${m.subject} is no program frame`), roomId);
          room.deliver(relayed.frame, relayed.epoch, (e) => this.#o.onError(e, roomId));
        },
      });
      entry = { sub, room };
      this.#subs.set(roomId, entry);
    }
    const e = entry;
    e.room.handlers.add(onFrame);
    return () => {
      e.room.handlers.delete(onFrame);
      if (e.room.handlers.size === 0 && this.#subs.get(roomId) === e) {
        this.#subs.delete(roomId);
        e.sub.unsubscribe();
      }
    };
  }

  /** resolves once subscriptions and publishes so far have reached the server */
  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  async close(): Promise<void> {
    for (const e of this.#subs.values()) e.sub.unsubscribe();
    this.#subs.clear();
    await this.#nc.drain();
  }
}
