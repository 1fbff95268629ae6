/**
 * @module bus/user-push-nats — a person's live events across nodes on NATS core: published on
 * `amphi.user.<id>` with the writer's node id, heard by the nodes that subscribed while they hold a
 * stream of that person (NATS routes by interest, so a push for someone with no stream anywhere goes no
 * further than the server). A node skips its own pushes when NATS echoes them back. It never blocks a
 * writer on the network, and a bad message is reported through `onError`, never thrown.
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { UserId } from '../domain/ids.ts';
import { connectNats } from './nats-connection.ts';
import { userSubject } from './subjects.ts';
import type { UserPush, UserPushDeliver } from './user-push.ts';

export interface NatsUserPushOptions {
  readonly servers: string;
  readonly nodeId: string;
  readonly onError: (err: unknown) => void;
}

/** what goes on the wire: the writer, the event's type and its JSON data */
interface Envelope {
  readonly n: string;
  readonly t: string;
  readonly j: string;
}

const isEnvelope = (v: unknown): v is Envelope =>
  typeof v === 'object' && v !== null && typeof (v as Envelope).n === 'string' && typeof (v as Envelope).t === 'string' && typeof (v as Envelope).j === 'string';

export class NatsUserPush implements UserPush {
  readonly networked = true;
  readonly #nc: NatsConnection;
  readonly #o: NatsUserPushOptions;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();

  private constructor(nc: NatsConnection, options: NatsUserPushOptions) {
    this.#nc = nc;
    this.#o = options;
  }

  static async connect(options: NatsUserPushOptions): Promise<NatsUserPush> {
    return new NatsUserPush(await connectNats(options.servers, `amphi-users-${options.nodeId}`), options);
  }

  publish(userId: UserId, type: string, json: string): void {
    try {
      this.#nc.publish(userSubject(userId), this.#encoder.encode(JSON.stringify({ n: this.#o.nodeId, t: type, j: json } satisfies Envelope)));
    } catch (err) {
      this.#o.onError(err);
    }
  }

  listen(userId: UserId, deliver: UserPushDeliver): () => void {
    let sub: Subscription | null = null;
    try {
      sub = this.#nc.subscribe(userSubject(userId), { callback: (err, m) => this.#receive(err, m, deliver) });
    } catch (err) {
      this.#o.onError(err);
    }
    return () => sub?.unsubscribe();
  }

  #receive(err: Error | null, m: Msg, deliver: UserPushDeliver): void {
    if (err) {
      this.#o.onError(err);
      return;
    }
    let env: unknown;
    try {
      env = JSON.parse(this.#decoder.decode(m.data));
    } catch (e) {
      this.#o.onError(e);
      return;
    }
    if (!isEnvelope(env)) {
      this.#o.onError(new TypeError('a user push that is not { n, t, j }'));
      return;
    }
    if (env.n === this.#o.nodeId) return;
    try {
      deliver(env.t, env.j);
    } catch (e) {
      this.#o.onError(e);
    }
  }

  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  async close(): Promise<void> {
    if (!this.#nc.isClosed()) await this.#nc.drain();
  }
}
