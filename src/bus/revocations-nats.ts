/**
 * @module bus/revocations-nats — revocations across nodes, on NATS core pub/sub. A revocation is
 * recorded and announced on this node first, synchronously (the host's own node closes the person's
 * sockets before anything goes on the wire), then published once on `amphi.revocations` with this
 * node's id; every other node records it and tells its subscribers, and a node skips its own when NATS
 * echoes it back. Recording, expiry after `keepMs` and the subscribers are one LocalRevocations inside.
 * NATS core keeps nothing, so a node that connects, or reconnects after an outage, asks the others on
 * `amphi.revocations.sync` what they still hold, telling them what it holds (what it revoked while cut
 * off). A node announces only what is news to it, because its subscribers close every socket the person
 * has in the room: never a revocation it holds already, one older than it holds, or one expired. It must
 * never block a caller on the network, and a bad message is reported through `onError`, never thrown.
 */
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { RoomId, UserId } from '../domain/ids.ts';
import { connectNats } from './nats-connection.ts';
import { LocalRevocations } from './revocations-local.ts';
import { decodeRevocations, encodeRevocations, type RevocationsEnvelope } from './revocations-wire.ts';
import { REVOCATIONS_SUBJECT, REVOCATIONS_SYNC_SUBJECT } from './subjects.ts';
import type { Revocation, RevocationHandler, Revocations } from './revocations.ts';

export interface NatsRevocationsOptions {
  /** nats://host:port, or several separated by commas (a NATS cluster) */
  readonly servers: string;
  /** this node's id: what marks its own messages when NATS echoes them back */
  readonly nodeId: string;
  readonly now: () => number;
  /** how long a listen token lives: a revocation older than this refuses nothing any more */
  readonly keepMs: number;
  /** a subscriber threw (with the revocation it was told), or NATS or a message on the wire failed (null) */
  readonly onError: (err: unknown, r: Revocation | null) => void;
  /** how long connect() waits for the first peer's answer (default 1000 ms); a later answer still counts */
  readonly syncWaitMs?: number;
}

/** NATS's "no responders" status: nobody but the asker listens on the subject */
const NO_RESPONDERS = 503;

export class NatsRevocations implements Revocations {
  readonly #nc: NatsConnection;
  readonly #o: NatsRevocationsOptions;
  /** what this node holds, and its subscribers */
  readonly #local: LocalRevocations;
  /** this node's own subject for the answers to its sync requests */
  readonly #inbox = createInbox();
  readonly #subs: Subscription[] = [];
  /** ends connect()'s wait at the first answer (a peer's list, or NATS saying nobody else is here) */
  #answered: (() => void) | null = null;
  #closing: Promise<void> | null = null;

  private constructor(nc: NatsConnection, options: NatsRevocationsOptions) {
    this.#nc = nc;
    this.#o = options;
    this.#local = new LocalRevocations({ now: options.now, keepMs: options.keepMs, onError: options.onError });
    this.#subs.push(
      nc.subscribe(REVOCATIONS_SUBJECT, { callback: (err, m) => this.#onRevocations(err, m) }),
      nc.subscribe(this.#inbox, { callback: (err, m) => this.#onAnswer(err, m) }),
    );
  }

  /** resolves once the first peer's list is in (or NATS said nobody else is here, or `syncWaitMs` passed); later answers are taken as they come */
  static async connect(options: NatsRevocationsOptions): Promise<NatsRevocations> {
    const nc = await connectNats(options.servers, `amphi-revocations-${options.nodeId}`);
    const node = new NatsRevocations(nc, options);
    try {
      await node.#join();
    } catch (err) {
      await nc.close();
      throw err;
    }
    return node;
  }

  revoke(r: Revocation): void {
    this.#local.revoke(r);
    this.#publish(REVOCATIONS_SUBJECT, [r]);
  }

  refusing(roomId: RoomId, userId: UserId, issuedAt: number): Revocation | null {
    return this.#local.refusing(roomId, userId, issuedAt);
  }

  subscribe(handler: RevocationHandler): () => void {
    return this.#local.subscribe(handler);
  }

  /** resolves once everything published so far has reached the server (tests, orderly shutdown) */
  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#local.close();
      for (const s of this.#subs) s.unsubscribe();
      await this.#nc.drain();
    })();
    return this.#closing;
  }

  async #join(): Promise<void> {
    const answered = new Promise<void>((resolve) => (this.#answered = resolve));
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#o.syncWaitMs ?? 1000)));
    this.#askPeers();
    await Promise.race([answered, gaveUp]);
    clearTimeout(timer);
    this.#answered = null;
    // only now does this node answer others: until here, NATS's "no responders" meant "nobody else is here"
    this.#subs.push(this.#nc.subscribe(REVOCATIONS_SYNC_SUBJECT, { callback: (err, m) => this.#onSyncRequest(err, m) }));
    await this.#nc.flush();
    void this.#resyncOnReconnect();
  }

  /** after an outage NATS delivered nothing this node missed, and others missed what it published then */
  async #resyncOnReconnect(): Promise<void> {
    try {
      for await (const s of this.#nc.status()) if (s.type === 'reconnect') this.#askPeers();
    } catch (err) {
      this.#o.onError(err, null);
    }
  }

  #askPeers(): void {
    this.#publish(REVOCATIONS_SYNC_SUBJECT, this.#local.held(), this.#inbox);
  }

  #publish(subject: string, revocations: readonly Revocation[], reply?: string): void {
    try {
      this.#nc.publish(subject, encodeRevocations({ from: this.#o.nodeId, revocations }), reply === undefined ? undefined : { reply });
    } catch (err) {
      // a closed connection: this node has recorded it; the others learn it when this node next syncs
      this.#o.onError(err, null);
    }
  }

  #onRevocations(err: Error | null, m: Msg): void {
    const env = this.#decode(err, m);
    if (env !== null) this.#learn(env);
  }

  #onAnswer(err: Error | null, m: Msg): void {
    this.#answered?.();
    if (err === null && m.headers?.code === NO_RESPONDERS) return;
    this.#onRevocations(err, m);
  }

  /** a peer that (re)connected: take what it holds, answer with what this node holds */
  #onSyncRequest(err: Error | null, m: Msg): void {
    const env = this.#decode(err, m);
    if (env === null || env.from === this.#o.nodeId) return;
    this.#learn(env);
    try {
      m.respond(encodeRevocations({ from: this.#o.nodeId, revocations: this.#local.held() }));
    } catch (e) {
      this.#o.onError(e, null);
    }
  }

  #decode(err: Error | null, m: Msg): RevocationsEnvelope | null {
    if (err !== null) {
      this.#o.onError(err, null);
      return null;
    }
    try {
      return decodeRevocations(m.subject, m.data);
    } catch (e) {
      this.#o.onError(e, null);
      return null;
    }
  }

  #learn(env: RevocationsEnvelope): void {
    if (env.from === this.#o.nodeId) return;
    for (const r of env.revocations) {
      // held already, or a newer one: the subscribers were told, and an older one must not close sockets opened since
      if (this.#local.refusing(r.roomId, r.userId, r.at) !== null) continue;
      // expired here: it refuses no token any more, and subscribers hearing it this late would close sockets opened since
      if (this.#o.now() >= r.at + this.#o.keepMs) continue;
      this.#local.revoke(r);
    }
  }
}
