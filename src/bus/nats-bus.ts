/**
 * @module nats-bus — the room-events bus across nodes, on NATS core pub/sub: one subject per room
 * (`amphi.room.<id>.events`), every node subscribed to all of them. A message is delivered to this
 * node's own subscribers first, synchronously and before anything goes on the wire (the hot-mic guard
 * on the origin must not wait for a network hop), then published once with this node's id; a node skips
 * its own messages when they come back. Every delivery, local or remote, goes through one LocalBus (its
 * VersionGate: a late or repeated message never overwrites newer state; a subscriber that throws is
 * reported and never stops the others). It must never block the caller on the network.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { LocalBus } from './local.ts';
import { connectNats } from './nats-connection.ts';
import { ROOM_EVENTS_WILDCARD, roomEventsSubject } from './subjects.ts';
import type { Bus, BusHandler, BusMessage } from './types.ts';

export interface NatsBusOptions {
  /** nats://host:port, or several separated by commas (a NATS cluster) */
  readonly servers: string;
  /** this node's id: what marks its own messages when NATS echoes them back */
  readonly nodeId: string;
  readonly onError: (err: unknown, msg: BusMessage | null) => void;
  readonly now?: () => number;
}

/** what goes on the wire: the message and who sent it */
interface Envelope {
  readonly from: string;
  readonly msg: BusMessage;
}

export class NatsBus implements Bus {
  readonly #nc: NatsConnection;
  readonly #sub: Subscription;
  readonly #o: NatsBusOptions;
  /** this node's subscribers, behind the room versions' gate */
  readonly #local: LocalBus;

  private constructor(nc: NatsConnection, options: NatsBusOptions) {
    this.#nc = nc;
    this.#o = options;
    this.#local = new LocalBus((err, msg) => options.onError(err, msg), options.now);
    this.#sub = nc.subscribe(ROOM_EVENTS_WILDCARD, {
      callback: (err, m) => {
        if (err) return this.#o.onError(err, null);
        let env: Envelope;
        try {
          env = m.json<Envelope>();
        } catch (e) {
          return this.#o.onError(e, null);
        }
        if (env.from === this.#o.nodeId) return;
        this.#local.publish(env.msg);
      },
    });
  }

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const nc = await connectNats(options.servers, `amphi-${options.nodeId}`);
    const bus = new NatsBus(nc, options);
    // the subscription is at the server before anyone may count on this node hearing the others
    await nc.flush();
    return bus;
  }

  /** messages dropped as older than what this node held */
  get staleDropped(): number {
    return this.#local.staleDropped;
  }

  publish(msg: BusMessage): void {
    this.#local.publish(msg);
    try {
      this.#nc.publish(roomEventsSubject(msg.roomId), JSON.stringify({ from: this.#o.nodeId, msg } satisfies Envelope));
    } catch (err) {
      // a closed or reconnecting connection: this node has the message; other nodes re-read the store
      this.#o.onError(err, msg);
    }
  }

  subscribe(handler: BusHandler): () => void {
    return this.#local.subscribe(handler);
  }

  /** resolves once everything published so far has reached the server (tests, orderly shutdown) */
  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  async close(): Promise<void> {
    await this.#local.close();
    this.#sub.unsubscribe();
    await this.#nc.drain();
  }
}
