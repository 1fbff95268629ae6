/**
 * @module media-router — the path between a stage member's room socket, on whichever node holds it,
 * and the media plane of the room's origin (the node holding the room's lease): the member's offer,
 * ICE candidates and leaving go to the origin as requests with an answer; the origin's signals (ICE,
 * which receive slot carries whom, "offer again") come back to the member wherever their socket is.
 * The origin serves a room only while it holds its lease; a request no origin serves is refused
 * `unavailable` (the stage is moving) and the member offers again when told to. `LocalMediaRouter` is the
 * single node, calls in one process; `NatsMediaRouter` (media-router-nats.ts) is the cluster. A request
 * is served on the caller's own node without a network hop when that node is the origin. It carries
 * signaling only, never media; and what only the origin hears of the stage (who is speaking, hot
 * mics, echo, who holds the floor), for every node's room state.
 */
import type { UserId } from '../domain/ids.ts';
import type { ErrorCode, IceCandidate, ServerMessage, StageSoundView } from '../protocol/api-views.ts';

/** what the room's origin hears of its stage, as every node shows it (sent on a change) */
export interface RoomSound {
  readonly speaking: readonly UserId[];
  readonly sound: StageSoundView;
}

export type MediaRequest =
  | { readonly kind: 'publish'; readonly userId: UserId; readonly sdp: string }
  | { readonly kind: 'candidate'; readonly userId: UserId; readonly candidate: IceCandidate | null }
  | { readonly kind: 'unpublish'; readonly userId: UserId };

/** publish answers the SDP; the others answer null */
export type MediaAnswer = { readonly sdp: string | null };

/** a refusal from the origin, or from the route (`unavailable`: no origin serves the room now) */
export class MediaRouteError extends Error {
  override readonly name = 'MediaRouteError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type MediaServer = (req: MediaRequest) => Promise<MediaAnswer>;
export type MemberHandler = (roomId: string, userId: UserId, msg: ServerMessage) => void;
export type SoundHandler = (roomId: string, sound: RoomSound) => void;

export interface MediaRouter {
  /** the origin's side while it holds the room's lease; returns what stops serving it */
  serve(roomId: string, server: MediaServer): () => void;
  /** any node: the request answered by the room's origin; rejects with MediaRouteError */
  request(roomId: string, req: MediaRequest): Promise<MediaAnswer>;
  /** the origin's side: a message for a member, delivered by whichever node holds their socket */
  toMember(roomId: string, userId: UserId, msg: ServerMessage): void;
  /** every node: hands each member message to this node's sockets (it ignores members it does not hold) */
  onMember(handler: MemberHandler): () => void;
  /** the origin's side: what it hears of the stage changed (sent only on a change) */
  stageSound(roomId: string, sound: RoomSound): void;
  /** every other node: the stage as the origin hears it */
  onStageSound(handler: SoundHandler): () => void;
  close(): Promise<void>;
}

export const NO_ORIGIN = (): MediaRouteError =>
  new MediaRouteError('unavailable', "The room's stage is starting or moving to another server. Your browser will connect again in a moment.");

/** answers a request with the room's local server, or null when this node does not serve the room */
export class LocalServers {
  readonly #servers = new Map<string, MediaServer>();

  serve(roomId: string, server: MediaServer): () => void {
    this.#servers.set(roomId, server);
    return () => {
      if (this.#servers.get(roomId) === server) this.#servers.delete(roomId);
    };
  }

  get(roomId: string): MediaServer | null {
    return this.#servers.get(roomId) ?? null;
  }

  clear(): void {
    this.#servers.clear();
  }
}

/** the member handlers of one node; a handler that throws is reported and never stops the others */
export class MemberHandlers {
  readonly #handlers = new Set<MemberHandler>();
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  add(handler: MemberHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  deliver(roomId: string, userId: UserId, msg: ServerMessage): void {
    for (const h of this.#handlers) {
      try {
        h(roomId, userId, msg);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}

/** one process: the origin and every socket are here */
export class LocalMediaRouter implements MediaRouter {
  readonly #servers = new LocalServers();
  readonly #members: MemberHandlers;

  constructor(onError: (err: unknown) => void) {
    this.#members = new MemberHandlers(onError);
  }

  serve(roomId: string, server: MediaServer): () => void {
    return this.#servers.serve(roomId, server);
  }

  async request(roomId: string, req: MediaRequest): Promise<MediaAnswer> {
    const server = this.#servers.get(roomId);
    if (server === null) throw NO_ORIGIN();
    return server(req);
  }

  toMember(roomId: string, userId: UserId, msg: ServerMessage): void {
    this.#members.deliver(roomId, userId, msg);
  }

  onMember(handler: MemberHandler): () => void {
    return this.#members.add(handler);
  }

  /** one node: the origin is every node, nobody else needs telling */
  stageSound(): void {}

  onStageSound(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.#servers.clear();
  }
}
