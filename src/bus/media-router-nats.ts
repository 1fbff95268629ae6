/**
 * @module media-router-nats — the media router of a cluster on NATS: the origin of a room answers
 * requests on `amphi.room.<id>.media` (only the lease holder subscribes, so "no responders" means no
 * origin serves the room now), and members' messages travel on `amphi.room.<id>.member` to every node,
 * each handing them to the sockets it holds. A request meets the caller's own node first when it is the
 * origin (no hop). Everything on the wire is JSON with this node's id; a malformed message is reported,
 * never thrown. It must never carry media or block the origin on a member's node.
 */
import { RequestError, TimeoutError, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { UserId } from '../domain/ids.ts';
import type { ErrorCode, ServerMessage } from '../protocol/api-views.ts';
import { connectNats } from './nats-connection.ts';
import { LocalServers, MediaRouteError, MemberHandlers, NO_ORIGIN, type MediaAnswer, type MediaRequest, type MediaRouter, type MediaServer, type MemberHandler, type RoomSound, type SoundHandler } from './media-router.ts';
import { mediaSubject, memberSubject, MEMBER_WILDCARD, soundSubject, SOUND_WILDCARD } from './subjects.ts';

export interface NatsMediaRouterOptions {
  readonly servers: string;
  readonly nodeId: string;
  readonly onError: (err: unknown) => void;
  /** how long a member's node waits for the origin's answer (an offer takes the origin tens of ms) */
  readonly requestTimeoutMs?: number;
}

type Reply = { readonly ok: MediaAnswer } | { readonly error: { readonly code: ErrorCode; readonly message: string } };
interface SoundEnvelope {
  readonly from: string;
  readonly roomId: string;
  readonly sound: RoomSound;
}

interface MemberEnvelope {
  readonly from: string;
  readonly roomId: string;
  readonly userId: UserId;
  readonly msg: ServerMessage;
}

export class NatsMediaRouter implements MediaRouter {
  readonly #nc: NatsConnection;
  readonly #o: NatsMediaRouterOptions;
  readonly #local = new LocalServers();
  readonly #subs = new Map<string, Subscription>();
  readonly #members: MemberHandlers;
  readonly #memberSub: Subscription;
  readonly #soundSub: Subscription;
  readonly #sound = new Set<SoundHandler>();

  private constructor(nc: NatsConnection, options: NatsMediaRouterOptions) {
    this.#nc = nc;
    this.#o = options;
    this.#members = new MemberHandlers(options.onError);
    this.#memberSub = this.#fromOthers<MemberEnvelope>(MEMBER_WILDCARD, (env) => this.#members.deliver(env.roomId, env.userId, env.msg));
    this.#soundSub = this.#fromOthers<SoundEnvelope>(SOUND_WILDCARD, (env) => {
      for (const h of this.#sound) h(env.roomId, env.sound);
    });
  }

  /** JSON envelopes on `subject` from the other nodes (this node's own come back and are skipped); a bad one is reported */
  #fromOthers<T extends { readonly from: string }>(subject: string, handle: (env: T) => void): Subscription {
    return this.#nc.subscribe(subject, {
      callback: (err, m) => {
        if (err) return this.#o.onError(err);
        try {
          const env = m.json<T>();
          if (env.from !== this.#o.nodeId) handle(env);
        } catch (e) {
          this.#o.onError(e);
        }
      },
    });
  }

  static async connect(options: NatsMediaRouterOptions): Promise<NatsMediaRouter> {
    const nc = await connectNats(options.servers, `amphi-media-${options.nodeId}`);
    const router = new NatsMediaRouter(nc, options);
    await nc.flush();
    return router;
  }

  serve(roomId: string, server: MediaServer): () => void {
    const stopLocal = this.#local.serve(roomId, server);
    this.#subs.get(roomId)?.unsubscribe();
    const sub = this.#nc.subscribe(mediaSubject(roomId), {
      callback: (err, m) => {
        if (err) return this.#o.onError(err);
        let req: MediaRequest;
        try {
          req = m.json<MediaRequest>();
        } catch (e) {
          this.#o.onError(e);
          m.respond(JSON.stringify({ error: { code: 'bad_request', message: 'The request to the stage could not be read.' } } satisfies Reply));
          return;
        }
        server(req).then(
          (ok) => m.respond(JSON.stringify({ ok } satisfies Reply)),
          (e: unknown) => {
            // a server says what went wrong with a MediaRouteError; anything else is the origin's fault
            if (!(e instanceof MediaRouteError)) this.#o.onError(e);
            const error = e instanceof MediaRouteError ? { code: e.code, message: e.message } : { code: 'internal' as const, message: 'The stage could not take this.' };
            m.respond(JSON.stringify({ error } satisfies Reply));
          },
        );
      },
    });
    this.#subs.set(roomId, sub);
    return () => {
      stopLocal();
      if (this.#subs.get(roomId) === sub) {
        this.#subs.delete(roomId);
        sub.unsubscribe();
      }
    };
  }

  async request(roomId: string, req: MediaRequest): Promise<MediaAnswer> {
    const local = this.#local.get(roomId);
    if (local !== null) return local(req);
    let reply: Reply;
    try {
      const m = await this.#nc.request(mediaSubject(roomId), JSON.stringify(req), { timeout: this.#o.requestTimeoutMs ?? 5000 });
      reply = m.json<Reply>();
    } catch (err) {
      if (err instanceof RequestError && err.isNoResponders()) throw NO_ORIGIN();
      if (err instanceof TimeoutError || (err instanceof RequestError && err.cause instanceof TimeoutError)) {
        throw new MediaRouteError('unavailable', "The room's stage server did not answer in time. Try again in a moment.");
      }
      throw err;
    }
    if ('error' in reply) throw new MediaRouteError(reply.error.code, reply.error.message);
    return reply.ok;
  }

  toMember(roomId: string, userId: UserId, msg: ServerMessage): void {
    this.#members.deliver(roomId, userId, msg);
    try {
      this.#nc.publish(memberSubject(roomId), JSON.stringify({ from: this.#o.nodeId, roomId, userId, msg } satisfies MemberEnvelope));
    } catch (err) {
      this.#o.onError(err);
    }
  }

  onMember(handler: MemberHandler): () => void {
    return this.#members.add(handler);
  }

  stageSound(roomId: string, sound: RoomSound): void {
    try {
      this.#nc.publish(soundSubject(roomId), JSON.stringify({ from: this.#o.nodeId, roomId, sound } satisfies SoundEnvelope));
    } catch (err) {
      this.#o.onError(err);
    }
  }

  onStageSound(handler: SoundHandler): () => void {
    this.#sound.add(handler);
    return () => this.#sound.delete(handler);
  }

  /** resolves once subscriptions and publishes so far have reached the server */
  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  async close(): Promise<void> {
    for (const s of this.#subs.values()) s.unsubscribe();
    this.#subs.clear();
    this.#local.clear();
    this.#memberSub.unsubscribe();
    this.#soundSub.unsubscribe();
    await this.#nc.drain();
  }
}
