/**
 * @module room-service — the room's use cases: create, read, list, and every action anyone takes. It
 * looks up the few account facts the rules need (follows and blocks of the current host), asks the pure
 * rules in domain/ for a decision inside the store's per-room transaction, and publishes what changed
 * on the bus. Actions that change nothing (reactions, reports, joining) are decided against the hub's
 * cached state without a write, so a burst of reactions never queues behind the room's row lock. Each
 * room's other actions go through two lanes (room-lanes.ts): moderators' and the stage's actions one at
 * a time and always first, the audience's hand raises and lowers batched behind them (hand-desk.ts), so
 * a host's mute never waits behind a storm of hands. Never formats HTTP or touches sockets.
 */
import { randomUUID } from 'node:crypto';
import { asRoomId, type RoomId, type UserId } from '../domain/ids.ts';
import type { Actor, RoomAction, RoomContext } from '../domain/room-actions.ts';
import { createRoomState } from '../domain/room-create.ts';
import { decide } from '../domain/room-rules.ts';
import { isModerator, stageMember } from '../domain/room-queries.ts';
import type { RoomState, RoomStatus } from '../domain/room-state.ts';
import type { CreateRoomBody } from '../protocol/api-schemas.ts';
import type { HandsPageView, RoomView, RoomWithMeView } from '../protocol/api-views.ts';
import type { Bus } from '../bus/types.ts';
import type { RevocationCause, Revocations } from '../bus/revocations.ts';
import { signJoinToken } from '../delivery/join-token.ts';
import { asStreamId } from '../delivery/stream-id.ts';
import type { Store, User } from '../store/types.ts';
import type { Admission, DirectAdmission } from './admission.ts';
import type { BlockCache } from './block-cache.ts';
import { ReactionLimiter } from './reaction-limiter.ts';
import { HandDesk, type HandAsk } from './hand-desk.ts';
import { RoomLanes } from './room-lanes.ts';
import { AmphiError } from './errors.ts';
import type { RoomHub } from './room-hub.ts';
import { handView, myPlace, namedIn, roomView } from './room-views.ts';
import type { UserDirectory } from './user-directory.ts';

const ANONYMOUS: Actor = { kind: 'anonymous' };
const JOIN: RoomAction = { type: 'join' };
const nobody = (): boolean => false;

export interface RoomServiceDeps {
  readonly store: Store;
  readonly bus: Bus;
  readonly hub: RoomHub;
  readonly users: UserDirectory;
  readonly now: () => number;
  /** signs listener join tokens */
  readonly secret: string;
  /** this node's waiting line for listeners */
  readonly admission: Admission;
  readonly blocks: BlockCache;
  /** removals and blocks end access at once: open sockets close, earlier listen tokens are refused */
  readonly revocations: Revocations;
  /** an accepted report, for the log */
  readonly onReport?: (roomId: RoomId, by: UserId) => void;
}

/**
 * A join token is needed only to open the audio socket, and clients fetch a fresh one for each
 * (re)connect, so it lives one minute: a removed person's old token soon stops working.
 */
export const LISTEN_TICKET_MS = 60_000;

export type ListenTicket =
  | { readonly admission: 'admitted'; readonly status: RoomStatus; readonly token: string; readonly expiresAt: number }
  | {
      readonly admission: 'waiting';
      readonly status: RoomStatus;
      /** show it back (?ticket=) to join once the line reaches `number` */
      readonly ticket: string;
      readonly number: number;
      readonly position: number;
      readonly etaSeconds: number;
    };

/** how many of the newest rooms the listing ranks by audience */
const LIST_WINDOW = 1000;

const actorId = (actor: Actor): UserId | null => (actor.kind === 'user' ? actor.userId : null);

/** what the service may be asked: a rule's action, or "approve the head of the queue" (the queue is the store's) */
export type ServiceAction = RoomAction | { readonly type: 'approveNext' };

/** the actions whose rules ask whose hand is up (the actor's or the target's row is read first) */
const ASKS_HANDS: ReadonlySet<RoomAction['type']> = new Set(['approveRequest', 'declineRequest', 'acceptInvite', 'remove']);

export class RoomService {
  readonly #d: RoomServiceDeps;
  readonly #reactions = new ReactionLimiter();
  readonly #hands: HandDesk;
  /** each room's decisions on this node: moderators first, the audience's hands batched (room-lanes.ts) */
  readonly #lanes: RoomLanes<HandAsk, RoomState>;

  constructor(deps: RoomServiceDeps) {
    this.#d = deps;
    this.#hands = new HandDesk({ store: deps.store, hub: deps.hub, bus: deps.bus, users: deps.users, now: deps.now, state: (roomId) => this.state(roomId) });
    this.#lanes = new RoomLanes((roomId, asks) => this.#hands.run(roomId, asks));
  }

  async create(user: User, body: CreateRoomBody): Promise<RoomWithMeView> {
    const made = createRoomState(
      { id: asRoomId(randomUUID()), hostId: user.id, title: body.title, topics: body.topics, description: body.description, speakerPolicy: body.speakerPolicy },
      this.#d.now(),
    );
    if (!made.ok) throw AmphiError.fromRejection(made.rejection);
    await this.#d.store.createRoom(made.state, made.audit);
    const host = { id: user.id, handle: user.handle, displayName: user.displayName };
    this.#d.users.remember(host);
    this.#d.bus.publish({ type: 'roomOpened', roomId: made.state.id, state: made.state, version: 1, names: [host] });
    return await this.#withMe(made.state, user.id);
  }

  /** the room's state: from the hub when this node tracks it, else from the store */
  async state(roomId: RoomId): Promise<RoomState> {
    const cached = this.#d.hub.state(roomId);
    if (cached) return cached;
    const stored = await this.#d.store.getRoomVersioned(roomId);
    if (!stored) throw AmphiError.roomNotFound();
    if (stored.state.status !== 'ended') this.#d.bus.publish({ type: 'roomOpened', roomId, state: stored.state, version: stored.version });
    return stored.state;
  }

  async get(roomId: RoomId, viewer: User | null): Promise<RoomWithMeView> {
    const state = await this.state(roomId);
    if (viewer && state.status !== 'ended') {
      const verdict = decide(state, { kind: 'user', userId: viewer.id }, { type: 'join' }, await this.#context(state, viewer.id, null, 'join'));
      if (!verdict.ok && verdict.rejection.code !== 'room_ended') throw AmphiError.fromRejection(verdict.rejection);
    }
    await this.#d.users.ensure(namedIn(state));
    return await this.#withMe(state, viewer?.id ?? null);
  }

  /** the room as `viewer` sees it now, without asking whether they may enter (they just acted in it) */
  async viewFor(roomId: RoomId, viewer: User): Promise<RoomWithMeView> {
    const state = await this.state(roomId);
    await this.#d.users.ensure(namedIn(state));
    return await this.#withMe(state, viewer.id);
  }

  async list(status: RoomStatus, limit: number): Promise<RoomView[]> {
    // busiest first, then newest: rank a wide window of rooms, not just the newest `limit`
    const rooms = await this.#d.store.listRooms([status], Math.max(limit, LIST_WINDOW));
    const ranked = rooms
      .map((r) => ({ state: this.#d.hub.state(r.id) ?? r, listeners: this.#d.hub.listenerCount(r.id) }))
      .sort((a, b) => b.listeners - a.listeners || b.state.createdAt - a.state.createdAt)
      .slice(0, limit);
    await this.#d.users.ensure(ranked.flatMap((r) => [r.state.hostId, ...r.state.stage.map((m) => m.userId)]));
    return ranked.map((r) => roomView(r.state, (id) => this.#d.users.get(id), r.listeners));
  }

  /** may this person enter the room? throws the rule's rejection when not */
  async admit(roomId: RoomId, viewer: User | null): Promise<RoomState> {
    const state = await this.state(roomId);
    const actor: Actor = viewer ? { kind: 'user', userId: viewer.id } : { kind: 'anonymous' };
    const verdict = decide(state, actor, { type: 'join' }, await this.#context(state, viewer?.id ?? null, null, 'join'));
    if (!verdict.ok) throw AmphiError.fromRejection(verdict.rejection);
    await this.#d.users.ensure(namedIn(state));
    return state;
  }

  /**
   * a ticket to the room's audio: a join token any node verifies without the database. Whoever the
   * rules let in (signed in or not) gets one when this node has room; otherwise a place in line (the
   * stage never waits). Tokens expire after LISTEN_TICKET_MS; clients fetch a fresh one to reconnect.
   */
  async listenTicket(roomId: RoomId, viewer: User | null, linePlace: string | null): Promise<ListenTicket> {
    // issued before the rules are asked: a removal or block landing while they are read is at or after
    // this instant, so it refuses the token (revocations.ts) even though the rules let the person in
    const issuedAt = this.#d.now();
    const state = await this.admit(roomId, viewer);
    const onStage = viewer !== null && stageMember(state, viewer.id) !== undefined;
    if (!onStage) {
      const answer = this.#d.admission.check(linePlace);
      if (answer.kind === 'wait') {
        return { admission: 'waiting', status: state.status, ticket: answer.ticket, number: answer.number, position: answer.position, etaSeconds: answer.etaSeconds };
      }
    }
    const expiresAt = issuedAt + LISTEN_TICKET_MS;
    const token = signJoinToken(this.#d.secret, { streamId: asStreamId(roomId), userId: viewer?.id ?? null, issuedAt, expiresAt });
    return { admission: 'admitted', status: state.status, token, expiresAt };
  }

  /**
   * a signed-out listener joining directly on the listener port (no ticket round trip): the same rules
   * as listenTicket for someone signed out, and the same line; the caller's socket holds a waiting place
   */
  async listenDirect(roomId: RoomId): Promise<DirectAdmission> {
    return this.listenDirectNow(roomId) ?? this.#enter(await this.state(roomId));
  }

  /**
   * listenDirect without waiting when this node tracks the room (the usual case in a storm: everyone
   * joins the room that is live here), so the listener port can answer inside the upgrade itself;
   * null when the room must be read from the store first
   */
  listenDirectNow(roomId: RoomId): DirectAdmission | null {
    const state = this.#d.hub.state(roomId);
    return state ? this.#enter(state) : null;
  }

  /** a signed-out person has no follows and no blocks: the rules need nothing read for them */
  #enter(state: RoomState): DirectAdmission {
    const verdict = decide(state, ANONYMOUS, JOIN, { now: this.#d.now(), followedByHost: nobody, blockedByHost: nobody, hasConnection: nobody, handRaised: nobody });
    if (!verdict.ok) throw AmphiError.fromRejection(verdict.rejection);
    return this.#d.admission.enter();
  }

  /**
   * `blocker` blocked `blocked`: the rules keep them out of the rooms `blocker` hosts from now on; this
   * ends what they already hold in the open ones this node tracks (sockets, unexpired listen tokens)
   */
  revokeBlocked(blocker: UserId, blocked: UserId): void {
    for (const state of this.#d.hub.openRooms()) if (state.hostId === blocker) this.#revoke(state.id, blocked, 'blocked');
  }

  #revoke(roomId: RoomId, userId: UserId, cause: RevocationCause): void {
    this.#d.revocations.revoke({ roomId, userId, at: this.#d.now(), cause });
  }

  /** decide and apply one action; throws AmphiError with the rule's code when refused */
  async act(roomId: RoomId, actor: Actor, action: ServiceAction): Promise<RoomState> {
    if (action.type === 'react' || action.type === 'report' || action.type === 'join') return this.#actWithoutWrite(roomId, actor, action);
    if ((action.type === 'requestToSpeak' || action.type === 'cancelRequest') && actor.kind === 'user') {
      return this.#askHand(roomId, actor.userId, action.type);
    }
    // one decision at a time per room on this node: publishes leave in the order the writes committed,
    // so the hub and the media gates can never end on an older state than the store
    return this.#lanes.moderator(roomId, () =>
      action.type === 'approveNext' ? this.#approveNext(roomId, actor) : this.#decideAndPublish(roomId, actor, action),
    );
  }

  /** a raise or lower joins the room's audience lane, with the facts the rules need read beforehand */
  async #askHand(roomId: RoomId, userId: UserId, type: HandAsk['type']): Promise<RoomState> {
    this.#hands.limit(roomId, userId);
    const state = await this.state(roomId);
    const host = state.hostId;
    const [followedByHost, blockedByHost] = await Promise.all([
      type === 'requestToSpeak' && state.speakerPolicy === 'followed' && userId !== host ? this.#d.store.isFollowing(host, userId) : false,
      userId !== host && this.#d.blocks.isBlocked(host, userId),
    ]);
    return this.#lanes.audience(roomId, { userId, type, followedByHost, blockedByHost });
  }

  /** the head of the queue in the host's order is approved; with no hand up the rules answer (no_request, or not_a_host) */
  async #approveNext(roomId: RoomId, actor: Actor): Promise<RoomState> {
    const head = (await this.#d.store.hands.page(roomId, { offset: 0, limit: 1 })).rows[0];
    const target = head?.userId ?? actorId(actor);
    if (target === null) throw new AmphiError('not_signed_in', 'Sign in to do that.');
    return this.#decideAndPublish(roomId, actor, { type: 'approveRequest', target });
  }

  /** a page of the queue in the host's order, for its hosts and co-hosts */
  async handsPage(roomId: RoomId, viewer: User, q: { offset: number; limit: number; q?: string | undefined }): Promise<HandsPageView> {
    const state = await this.state(roomId);
    if (!isModerator(state, viewer.id)) throw new AmphiError('not_a_host', 'Only the host and co-hosts can read the hand-raise queue.');
    const [page, counted] = await Promise.all([
      this.#d.store.hands.page(roomId, { offset: q.offset, limit: q.limit, ...(q.q !== undefined && { search: q.q }) }),
      this.#d.store.hands.count(roomId),
    ]);
    await this.#d.users.ensure(page.rows.map((r) => r.userId));
    return { hands: page.rows.map((r) => handView(r, (id) => this.#d.users.get(id))), total: page.total, count: counted.count };
  }

  /** whether this person's hand is up in the room (one row read) */
  async handRaised(roomId: RoomId, userId: UserId): Promise<boolean> {
    return (await this.#d.store.hands.raised(roomId, [userId])).has(userId);
  }

  async #decideAndPublish(roomId: RoomId, actor: Actor, action: RoomAction): Promise<RoomState> {
    const known = await this.state(roomId);
    const target = 'target' in action ? action.target : null;
    const ctx = await this.#context(known, actorId(actor), target, action.type);
    // names first: nothing may stand between the write and its publish
    await this.#d.users.ensure([...namedIn(known), ...[actorId(actor), target].filter((u): u is UserId => u !== null)]);
    const out = await this.#d.store.mutateRoom(roomId, (current) => {
      const decision = decide(current, actor, action, { ...ctx, now: this.#d.now() });
      // a decline changes no state (the hand is a row) but is audited: it is written all the same
      return decision.ok && (decision.state !== current || decision.audit.length > 0)
        ? { write: true, state: decision.state, audit: decision.audit, result: { decision, written: true, before: current } }
        : { write: false, result: { decision, written: false, before: current } };
    });
    if (!out) throw AmphiError.roomNotFound();
    const { decision, written, before } = out.result;
    if (!decision.ok) throw AmphiError.fromRejection(decision.rejection);
    if (written || decision.events.length > 0) {
      const names = [...new Set([...namedIn(decision.state), ...[actorId(actor), target].filter((u): u is UserId => u !== null)])].map((u) => this.#d.users.get(u));
      this.#d.bus.publish({ type: 'roomChanged', roomId, state: decision.state, version: out.version, events: decision.events, names });
      for (const ev of decision.events) if (ev.type === 'removed') this.#revoke(roomId, ev.userId, 'removed');
      if (decision.state.status === 'ended') this.#reactions.dropRoom(roomId);
      await this.#hands.afterDecision(roomId, before, decision);
    }
    return decision.state;
  }

  async audit(roomId: RoomId, viewer: User, limit: number) {
    const state = await this.state(roomId);
    if (!isModerator(state, viewer.id)) throw new AmphiError('not_a_host', 'Only the host and co-hosts can read the audit log.');
    const entries = await this.#d.store.listAudit(roomId, limit);
    await this.#d.users.ensure(entries.flatMap((e) => [e.actor, e.target].filter((u): u is UserId => u !== null)));
    return entries.map((e) => ({
      seq: e.seq,
      actor: e.actor === null ? null : this.#d.users.get(e.actor),
      target: e.target === null ? null : this.#d.users.get(e.target),
      action: e.action,
      reason: e.reason,
      at: e.at,
    }));
  }

  async #actWithoutWrite(roomId: RoomId, actor: Actor, action: RoomAction): Promise<RoomState> {
    const state = await this.state(roomId);
    // a reaction over the limit is dropped before it costs anything (answered as accepted: a person
    // tapping fast is not at fault, and nothing queues)
    if (action.type === 'react' && actor.kind === 'user' && state.status === 'live' && !this.#reactions.allow(roomId, actor.userId, this.#d.now())) {
      return state;
    }
    const target = 'target' in action ? action.target : null;
    const decision = decide(state, actor, action, await this.#context(state, actorId(actor), target, action.type));
    if (!decision.ok) throw AmphiError.fromRejection(decision.rejection);
    for (const ev of decision.events) {
      if (ev.type === 'reacted') this.#d.hub.countReaction(roomId, ev.reaction);
      if (ev.type === 'reported') {
        await this.#d.store.addReport({ roomId, reporter: ev.by, target: ev.target, reason: ev.reason, at: this.#d.now() });
        this.#d.onReport?.(roomId, ev.by);
      }
    }
    return state;
  }

  /**
   * the account facts the rules need for this action, and only those: follows matter for hand raises;
   * blocks (cached) for anything a signed-in person does; an anonymous listener costs no query at all
   */
  async #context(state: RoomState, actor: UserId | null, target: UserId | null, type: RoomAction['type']): Promise<RoomContext> {
    const host = state.hostId;
    // acting on a person who does not exist would fill the room's lists with made-up ids
    if (target !== null && !state.stage.some((m) => m.userId === target) && (await this.#d.store.getUser(target)) === null) {
      throw AmphiError.userNotFound();
    }
    const ids = [actor, target].filter((u): u is UserId => u !== null && u !== host);
    const follows = new Set<UserId>();
    const blocks = new Set<UserId>();
    const needsFollows = type === 'requestToSpeak';
    const handsAsked = [actor, target].filter((u): u is UserId => u !== null);
    const [hands] = await Promise.all([
      ASKS_HANDS.has(type) ? this.#d.store.hands.raised(state.id, handsAsked) : new Set<UserId>(),
      ...ids.map(async (u) => {
        const [f, b] = await Promise.all([needsFollows ? this.#d.store.isFollowing(host, u) : false, this.#d.blocks.isBlocked(host, u)]);
        if (f) follows.add(u);
        if (b) blocks.add(u);
      }),
    ]);
    return {
      now: this.#d.now(),
      followedByHost: (u) => follows.has(u),
      blockedByHost: (u) => blocks.has(u),
      hasConnection: (u) => this.#d.hub.isConnected(state.id, u),
      handRaised: (u) => hands.has(u),
    };
  }

  /** the room as `viewer` sees it: their place (their hand is one row read), and for moderators the queue's count */
  async #withMe(state: RoomState, viewer: UserId | null): Promise<RoomWithMeView> {
    const names = (id: UserId) => this.#d.users.get(id);
    const handUp = viewer !== null && state.status === 'live' && (await this.handRaised(state.id, viewer));
    const view: RoomWithMeView = { room: roomView(state, names, this.#d.hub.listenerCount(state.id)), me: myPlace(state, viewer, handUp) };
    if (viewer === null || !isModerator(state, viewer)) return view;
    return { ...view, hands: { count: (await this.#d.store.hands.count(state.id)).count } };
  }
}
