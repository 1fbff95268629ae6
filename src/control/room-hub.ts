/**
 * @module room-hub — this node's live view of its rooms: the latest state of each open room, the control
 * connections of the people in it, and the per-tick aggregates (listener count, reactions). The count
 * shown is the room's across the cluster: this node's own, live, plus what the other nodes last
 * reported (`elsewhere`, 0 on a single node); this node's own is what it reports to them. Reactions
 * likewise: each tick shows those counted here and those the other nodes shared since the last, and
 * hands the ones counted here to `shareReactions` (one call per tick, every room in it). Room-wide
 * state goes out once per tick and only when it changed, serialised once, the same string written to
 * every connection: nothing per listener but the write. Private messages (your place, notices, the
 * hand-raise queue's changes) go only to the people they concern, whose number does not grow with the
 * audience; the queue's changes go to hosts and co-hosts at most once a tick, bounded in size
 * (HANDS_DELTA_MAX), never the queue itself (they read it a page at a time).
 * A listening page has no control connection: its audio socket carries the room (the `audience` port,
 * audience-feed.ts), as one shared message per tick for the whole room — the full state when the room's
 * view changed, else a tick of a few dozen bytes (count, reactions, speaking) — and a signed-in
 * listener's private messages go to their audio socket (`feeds`), so they are reached as if connected.
 * The hub never decides a rule and never writes the store; it learns of changes from the bus.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import { isModerator } from '../domain/room-queries.ts';
import type { RoomEvent } from '../domain/room-events.ts';
import type { Reaction } from '../domain/limits.ts';
import type { RoomState } from '../domain/room-state.ts';
import { HANDS_DELTA_MAX, QUIET_STAGE, type Notice, type ServerMessage, type UserView } from '../protocol/api-views.ts';
import type { HandRow } from '../store/hand-types.ts';
import type { BusMessage, HandChangeMessage } from '../bus/types.ts';
import type { RoomSound } from '../bus/media-router.ts';
import type { ReactionCounts } from '../bus/presence.ts';
import type { Revocation } from '../bus/revocations.ts';
import { CLOSE_CODES } from '../protocol/close-codes.ts';
import { AmphiError } from './errors.ts';
import { handView, myPlace, roomView, samePlace } from './room-views.ts';
import type { NetworkReport } from '../protocol/stage-network.ts';
import { StageNetworkBoard } from './stage-network-board.ts';
import type { UserDirectory } from './user-directory.ts';

/**
 * where a room's audience listens without a control connection (their audio sockets on this node):
 * how many, and one message for all of them, encoded once
 */
export interface AudiencePort {
  listeners(roomId: RoomId): number;
  publish(roomId: RoomId, json: string): void;
}

/** One person's control connection to one room, whatever the socket library. */
export interface RoomConnection {
  readonly userId: UserId | null;
  /** send one serialised ServerMessage (a Buffer when the same bytes go to many: encoded once) */
  send(text: string | Uint8Array): void;
  close(code: number, reason: string): void;
}


interface LiveRoom {
  state: RoomState;
  readonly conns: Set<RoomConnection>;
  readonly byUser: Map<UserId, Set<RoomConnection>>;
  /** signed-in listeners' audio sockets, for their private messages only (room-wide ones go to all at once) */
  readonly feeds: Map<UserId, Set<RoomConnection>>;
  dirty: boolean;
  lastListenerCount: number;
  /** the last broadcast state, encoded once; a newcomer gets it too while nothing changed */
  lastState: Uint8Array | null;
  /** the room as a joiner gets it: the last broadcast, or since a change the newest (null: to encode once) */
  lastStateText: string | null;
  /** the count the audience's sockets were last told, and the ticks since they were last sent anything */
  audienceCount: number;
  ticksSinceAudience: number;
  /** counted on this node since the last tick */
  reactions: Map<Reaction, number>;
  /** counted on the other nodes and shared since this node's last tick */
  readonly reactionsElsewhere: Map<Reaction, number>;
  /** what the stage sounds like (speaking, hot mics, echo, floor), as the origin last heard it */
  sound: RoomSound;
  readonly hands: RoomHands;
  /** the stage's network for the hosts' indicators (stage members' reports) */
  readonly net: StageNetworkBoard;
  /** people told they were removed (removals are few; the room's state lists them too) */
  readonly toldRemoved: Set<UserId>;
}

/** what this node knows of a room's queue: who has a hand up (from changes and attaches), the count, and what moderators have not been sent yet */
interface RoomHands {
  readonly up: Set<UserId>;
  count: number;
  seq: number;
  added: HandRow[];
  readonly removed: Set<UserId>;
  dirty: boolean;
}

const encode = (msg: ServerMessage): string => JSON.stringify(msg);
const SILENT_SOUND: RoomSound = { speaking: [], sound: QUIET_STAGE };

/** a change of the count alone reaches the audience's sockets at most this many ticks apart (2 s at the default 500 ms) */
export const AUDIENCE_COUNT_TICKS = 4;

/** the same speakers in the same order (the rings' arrays are a handful of ids) */
const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** whether a person has a control connection or a listening page here */
const reaches = (room: LiveRoom, userId: UserId): boolean => room.byUser.has(userId) || room.feeds.has(userId);

export class RoomHub {
  readonly #rooms = new Map<RoomId, LiveRoom>();
  readonly #users: UserDirectory;
  readonly #elsewhere: (roomId: RoomId) => number;
  readonly #shareReactions: (counts: ReactionCounts) => void;
  #onPersonJoined: ((state: RoomState, userId: UserId) => void) | null = null;
  #audience: AudiencePort | null = null;

  /**
   * `elsewhere`: the room's listeners on the other nodes of a cluster (presence), never this node's;
   * `shareReactions`: tells the other nodes what this node counted in a tick (nobody on a single node)
   */
  constructor(users: UserDirectory, elsewhere: (roomId: RoomId) => number = () => 0, shareReactions: (counts: ReactionCounts) => void = () => undefined) {
    this.#users = users;
    this.#elsewhere = elsewhere;
    this.#shareReactions = shareReactions;
  }

  /** called when a signed-in person opens their first connection to a room (listen counts) */
  onPersonJoined(callback: (state: RoomState, userId: UserId) => void): void {
    this.#onPersonJoined = callback;
  }

  /** where listening pages hear the room (set once, at start-up) */
  useAudience(port: AudiencePort): void {
    this.#audience = port;
  }

  /** start tracking a room (created, or loaded at start-up) */
  track(state: RoomState): void {
    const known = this.#rooms.get(state.id);
    if (known) {
      known.state = state;
      known.dirty = true;
      known.lastStateText = null;
      return;
    }
    this.#rooms.set(state.id, {
      state,
      conns: new Set(),
      byUser: new Map(),
      feeds: new Map(),
      dirty: true,
      lastListenerCount: -1,
      lastState: null,
      lastStateText: null,
      audienceCount: -1,
      ticksSinceAudience: 0,
      reactions: new Map(),
      reactionsElsewhere: new Map(),
      sound: SILENT_SOUND,
      hands: { up: new Set(), count: 0, seq: 0, added: [], removed: new Set(), dirty: false },
      net: new StageNetworkBoard(),
      toldRemoved: new Set(),
    });
  }

  state(roomId: RoomId): RoomState | undefined {
    return this.#rooms.get(roomId)?.state;
  }

  /** rooms this node tracks that are not ended */
  openRooms(): RoomState[] {
    return [...this.#rooms.values()].map((r) => r.state).filter((s) => s.status !== 'ended');
  }

  /** people listening (connected and not on the stage) to the room on every node: what views show */
  listenerCount(roomId: RoomId): number {
    return this.listenersHere(roomId) + this.#elsewhere(roomId);
  }

  /**
   * people listening to the room through this node: what it reports to the others. Their audio sockets,
   * plus control connections of people off the stage (a page whose player has no audio socket keeps one)
   */
  listenersHere(roomId: RoomId): number {
    const room = this.#rooms.get(roomId);
    if (!room) return 0;
    let onStage = 0;
    for (const m of room.state.stage) onStage += room.byUser.get(m.userId)?.size ?? 0;
    return room.conns.size - onStage + (this.#audience?.listeners(roomId) ?? 0);
  }

  /**
   * what a listening page's audio socket gets first: the room as it is now (the last broadcast while
   * nothing changed, the same string object, so its encoding can be cached); null when not tracked
   */
  stateFor(roomId: RoomId): string | null {
    const room = this.#rooms.get(roomId);
    if (!room) return null;
    // once per change, not per joiner: a storm of joins between two ticks shares one encoding
    if (room.lastStateText === null) room.lastStateText = this.#stateText(room, {});
    return room.lastStateText;
  }

  /**
   * a signed-in listener's audio socket: it gets their place now and their private messages from now
   * on (room-wide ones reach it through the audience port). Returns a function that forgets it.
   */
  attachFeed(roomId: RoomId, userId: UserId, feed: RoomConnection, handRaised = false): () => void {
    const room = this.#rooms.get(roomId);
    if (!room) return () => undefined;
    let set = room.feeds.get(userId);
    if (!set) {
      set = new Set();
      room.feeds.set(userId, set);
    }
    const first = set.size === 0 && !room.byUser.has(userId);
    set.add(feed);
    if (handRaised) room.hands.up.add(userId);
    feed.send(encode({ type: 'me', me: this.#place(room, room.state, userId) }));
    if (first) this.#onPersonJoined?.(room.state, userId);
    return () => {
      const s = room.feeds.get(userId);
      if (!s?.delete(feed) || s.size > 0) return;
      room.feeds.delete(userId);
    };
  }

  /** the room's stage members with a control socket on this node (what it reports: at most the stage's few) */
  stageHere(roomId: RoomId): UserId[] {
    const room = this.#rooms.get(roomId);
    if (!room) return [];
    return room.state.stage.flatMap((m) => (room.byUser.has(m.userId) ? [m.userId] : []));
  }

  /**
   * adds a connection and sends it the room as it is now; returns true when it is this person's first.
   * `handRaised`: whether their hand is up (the caller read their row: the queue is not in the state).
   */
  attach(roomId: RoomId, conn: RoomConnection, handRaised = false): boolean {
    const room = this.#rooms.get(roomId);
    if (!room) throw new AmphiError('room_ended', 'This room has ended.');
    room.conns.add(conn);
    let first = false;
    if (conn.userId !== null) {
      let set = room.byUser.get(conn.userId);
      if (!set) {
        set = new Set();
        room.byUser.set(conn.userId, set);
        first = true;
      }
      set.add(conn);
    }
    // a newcomer gets the state as it is now without taking the change from everyone else's next tick
    conn.send(!room.dirty && room.lastState !== null ? room.lastState : this.#stateText(room, {}));
    if (conn.userId !== null && handRaised) room.hands.up.add(conn.userId);
    conn.send(encode({ type: 'me', me: this.#place(room, room.state, conn.userId) }));
    if (conn.userId !== null && isModerator(room.state, conn.userId)) {
      conn.send(this.#handsReset(room));
      conn.send(this.#networkText(room));
    }
    if (first && conn.userId !== null) this.#onPersonJoined?.(room.state, conn.userId);
    return first;
  }

  /** removes a connection; returns true when it was this person's last */
  detach(roomId: RoomId, conn: RoomConnection): boolean {
    const room = this.#rooms.get(roomId);
    if (!room || !room.conns.delete(conn) || conn.userId === null) return false;
    const set = room.byUser.get(conn.userId);
    if (!set) return false;
    set.delete(conn);
    if (set.size > 0) return false;
    room.byUser.delete(conn.userId);
    room.net.socketGone(conn.userId);
    return true;
  }

  /** a stage member's browser measured its link to the stage; anyone else's report is ignored */
  reportNetwork(roomId: RoomId, userId: UserId, report: NetworkReport): void {
    const room = this.#rooms.get(roomId);
    if (room === undefined || !room.state.stage.some((m) => m.userId === userId)) return;
    room.net.report(userId, report);
  }

  isConnected(roomId: RoomId, userId: UserId): boolean {
    const room = this.#rooms.get(roomId);
    return (room?.byUser.get(userId)?.size ?? 0) > 0 || (room?.feeds.get(userId)?.size ?? 0) > 0;
  }

  countReaction(roomId: RoomId, reaction: Reaction): void {
    const room = this.#rooms.get(roomId);
    if (room) room.reactions.set(reaction, (room.reactions.get(reaction) ?? 0) + 1);
  }

  /** reactions another node counted in its last tick: shown with this node's on its next */
  addReactions(roomId: RoomId, counts: Readonly<Partial<Record<Reaction, number>>>): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    for (const [reaction, n] of Object.entries(counts) as Array<[Reaction, number]>) {
      if (n > 0) room.reactionsElsewhere.set(reaction, (room.reactionsElsewhere.get(reaction) ?? 0) + n);
    }
  }

  /** one private message to every connection of one person in one room */
  sendTo(roomId: RoomId, userId: UserId, msg: ServerMessage): void {
    const room = this.#rooms.get(roomId);
    if (!room || !reaches(room, userId)) return;
    const text = encode(msg);
    for (const c of room.byUser.get(userId) ?? []) c.send(text);
    for (const c of room.feeds.get(userId) ?? []) c.send(text);
  }

  /**
   * hands went up or came down (applied to the store's rows just now, by this node or another: the bus
   * brings every node each change): the people concerned learn their place at once, the moderators get
   * the change on the next tick. A change with an older seq than one already seen is stale (the count it
   * carries is not).
   */
  handsChanged(roomId: RoomId, change: HandChangeMessage): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    const h = room.hands;
    for (const row of change.added) {
      h.up.add(row.userId);
      h.removed.delete(row.userId);
      h.added.push(row);
    }
    for (const userId of change.removed) {
      h.up.delete(userId);
      h.removed.add(userId);
    }
    if (change.removed.length > 0 && h.added.length > 0) {
      const gone = new Set(change.removed);
      h.added = h.added.filter((r) => !gone.has(r.userId));
    }
    if (change.seq >= h.seq) {
      h.seq = change.seq;
      h.count = change.count;
    }
    h.dirty = true;
    for (const u of [...change.added.map((r) => r.userId), ...change.removed]) {
      if (reaches(room, u)) this.sendTo(roomId, u, { type: 'me', me: this.#place(room, room.state, u) });
    }
  }

  /** hands up in the room, as this node last heard */
  handCount(roomId: RoomId): number {
    return this.#rooms.get(roomId)?.hands.count ?? 0;
  }

  onBus(msg: BusMessage): void {
    // the names first: what follows may show these people (in the state, a notice, the queue's changes)
    for (const n of msg.names ?? []) this.#users.remember(n);
    if (msg.type === 'handsChanged') {
      this.handsChanged(msg.roomId, msg.change);
      return;
    }
    if (msg.type === 'roomOpened') {
      this.track(msg.state);
      return;
    }
    const room = this.#rooms.get(msg.roomId);
    if (!room) {
      this.track(msg.state);
      return;
    }
    const before = room.state;
    room.state = msg.state;
    room.dirty = true;
    room.lastStateText = null;
    room.net.keepOnly(new Set(msg.state.stage.map((m) => m.userId)));
    this.#sendPlaces(room, before);
    for (const ev of msg.events) this.#applyEvent(room, ev);
    if (msg.state.status === 'ended' && before.status !== 'ended') this.#closeEnded(room);
  }

  /**
   * push room-wide state where it changed; called every tick. `soundOf` returns the same object while
   * the stage sounds the same.
   */
  flush(soundOf: (roomId: RoomId) => RoomSound = () => SILENT_SOUND): void {
    const countedHere = new Map<RoomId, Partial<Record<Reaction, number>>>();
    for (const [id, room] of this.#rooms) {
      const count = this.listenerCount(id);
      const sound = soundOf(id);
      const viewChanged = room.dirty;
      const soundChanged = sound !== room.sound;
      const speakingChanged = soundChanged && !sameIds(sound.speaking, room.sound.speaking);
      room.sound = sound;
      room.ticksSinceAudience++;
      this.#sendNetwork(room);
      if (!viewChanged && !soundChanged && count === room.lastListenerCount && room.reactions.size === 0 && room.reactionsElsewhere.size === 0) {
        // a count held back from the audience goes out once it has waited long enough
        if (room.audienceCount !== count && room.ticksSinceAudience >= AUDIENCE_COUNT_TICKS) this.#toAudience(room, null, count, {}, false);
        this.#sendHands(room);
        continue;
      }
      room.lastListenerCount = count;
      if (room.reactions.size > 0) countedHere.set(id, Object.fromEntries(room.reactions));
      const summed = new Map(room.reactionsElsewhere);
      for (const [r, n] of room.reactions) summed.set(r, (summed.get(r) ?? 0) + n);
      const reactions = Object.fromEntries(summed);
      const text = this.#stateText(room, reactions);
      const bytes = Buffer.from(text);
      room.lastState = bytes;
      room.lastStateText = text;
      room.dirty = false;
      room.reactions.clear();
      room.reactionsElsewhere.clear();
      for (const c of room.conns) c.send(bytes);
      this.#toAudience(room, viewChanged ? text : null, count, reactions, speakingChanged);
      this.#sendHands(room);
      if (room.state.status === 'ended' && room.conns.size === 0) this.#rooms.delete(id);
    }
    if (countedHere.size > 0) this.#shareReactions(countedHere);
  }

  /**
   * the room to its audience's sockets, one message for all: the whole state when its view changed, a
   * tick when the rings or reactions moved, and a count alone at most every AUDIENCE_COUNT_TICKS ticks —
   * in a big room the count moves every tick, and a message per listener per tick is what this saves
   */
  #toAudience(room: LiveRoom, state: string | null, count: number, reactions: Partial<Record<Reaction, number>>, speakingChanged: boolean): void {
    const audience = this.#audience;
    if (audience === null) return;
    const moved = speakingChanged || Object.keys(reactions).length > 0;
    if (state === null && !moved && (count === room.audienceCount || room.ticksSinceAudience < AUDIENCE_COUNT_TICKS)) return;
    audience.publish(room.state.id, state ?? encode({ type: 'tick', listeners: count, reactions, speaking: room.sound.speaking }));
    room.audienceCount = count;
    room.ticksSinceAudience = 0;
  }

  #stateText(room: LiveRoom, reactions: Partial<Record<Reaction, number>>): string {
    return encode({
      type: 'state',
      room: roomView(room.state, (id) => this.#users.get(id), this.listenerCount(room.state.id)),
      reactions,
      speaking: room.sound.speaking,
      sound: room.sound.sound,
    });
  }

  #place(room: LiveRoom, state: RoomState, userId: UserId | null) {
    return myPlace(state, userId, userId !== null && room.hands.up.has(userId));
  }

  #handsReset(room: LiveRoom): string {
    return encode({ type: 'hands', count: room.hands.count, added: [], removed: [], more: false, reset: true });
  }

  #networkText(room: LiveRoom): string {
    return encode({ type: 'stageNetwork', members: room.net.snapshot(room.state.stage.map((m) => m.userId)) });
  }

  /** the stage's network, when it changed, to the moderators connected here: at most 13 entries, once a tick */
  #sendNetwork(room: LiveRoom): void {
    const members = room.net.take(room.state.stage.map((m) => m.userId));
    if (members === null) return;
    this.#toModerators(room, encode({ type: 'stageNetwork', members }));
  }

  #toModerators(room: LiveRoom, text: string): void {
    for (const m of room.state.stage) {
      if (m.role === 'speaker') continue;
      for (const c of room.byUser.get(m.userId) ?? []) c.send(text);
    }
  }

  /** the queue's changes since the last tick, once, to the moderators connected here; bounded whatever the storm */
  #sendHands(room: LiveRoom): void {
    const h = room.hands;
    if (!h.dirty) return;
    const added = h.added.slice(-HANDS_DELTA_MAX.added);
    const removed = [...h.removed].slice(0, HANDS_DELTA_MAX.removed);
    const more = h.added.length > added.length || h.removed.size > removed.length;
    h.added = [];
    h.removed.clear();
    h.dirty = false;
    const names = (id: UserId) => this.#users.get(id);
    this.#toModerators(room, encode({ type: 'hands', count: h.count, added: added.map((r) => handView(r, names)), removed, more, reset: false }));
  }

  /** tells each connected person whose own place changed; only people named in the state can change */
  #sendPlaces(room: LiveRoom, before: RoomState): void {
    const after = room.state;
    const touched = new Set<UserId>();
    for (const s of [before, after]) {
      for (const m of s.stage) touched.add(m.userId);
      for (const i of s.invites) touched.add(i.userId);
    }
    for (const u of after.removed.slice(before.removed.length)) touched.add(u);
    for (const userId of touched) {
      if (!reaches(room, userId)) continue;
      const now = this.#place(room, after, userId);
      if (!samePlace(this.#place(room, before, userId), now)) this.sendTo(after.id, userId, { type: 'me', me: now });
      // a person who just became host or co-host needs the queue they now run: its count, then its pages
      if (isModerator(after, userId) && !isModerator(before, userId)) {
        for (const c of room.byUser.get(userId) ?? []) {
          c.send(this.#handsReset(room));
          c.send(this.#networkText(room));
        }
      }
    }
  }

  /** sends the notices an event calls for (the queue's changes come through handsChanged) */
  #applyEvent(room: LiveRoom, ev: RoomEvent): void {
    const id = room.state.id;
    const notice = (userId: UserId, n: Notice, by: UserId | null) =>
      this.sendTo(id, userId, { type: 'notice', notice: n, by: by === null ? null : this.#name(by) });
    switch (ev.type) {
      case 'invited':
        notice(ev.userId, 'invited', ev.by);
        return;
      case 'inviteCancelled':
        notice(ev.userId, 'inviteCancelled', null);
        return;
      case 'requestDeclined':
        notice(ev.userId, 'requestDeclined', null);
        return;
      case 'mutedByModerator':
        notice(ev.userId, 'mutedByModerator', ev.by);
        return;
      case 'autoMuted': {
        // the person learns why; the people who run the room learn who, so nobody wonders where a voice went
        notice(ev.userId, ev.cause === 'echo' ? 'autoMutedEcho' : 'autoMutedNoise', null);
        const text = encode({ type: 'notice', notice: 'memberAutoMuted', by: this.#name(ev.userId) });
        for (const m of room.state.stage) {
          if (m.role === 'speaker' || m.userId === ev.userId) continue;
          for (const c of room.byUser.get(m.userId) ?? []) c.send(text);
        }
        return;
      }
      case 'removed':
        // the revocation that follows closes their connections (revoke below)
        this.#tellRemoved(room, ev.userId);
        return;
      case 'hostChanged': {
        const text = encode({ type: 'notice', notice: 'hostChanged', by: this.#name(ev.to) });
        for (const c of room.conns) c.send(text);
        this.#audience?.publish(id, text);
        return;
      }
      case 'stageChanged':
      case 'handRaised':
      case 'handLowered':
      case 'invitesChanged':
      case 'rescheduled':
      case 'startTimeReached':
      case 'statusChanged':
      case 'detailsChanged':
      case 'pinsChanged':
      case 'reacted':
      case 'reported':
        return;
    }
  }

  /** a removed or blocked person's control connections to the room close at once */
  revoke(r: Revocation): void {
    const room = this.#rooms.get(r.roomId);
    if (!room) return;
    // on another node than the remover's the revocation may come before the room's event: why goes first
    if (r.cause === 'removed' && reaches(room, r.userId)) this.#tellRemoved(room, r.userId);
    for (const c of [...(room.byUser.get(r.userId) ?? []), ...(room.feeds.get(r.userId) ?? [])]) {
      if (r.cause === 'removed') c.close(CLOSE_CODES.removed, 'removed from this room');
      else c.close(CLOSE_CODES.forbidden, 'blocked_by_host');
    }
  }

  /**
   * the 'removed' notice, once per person and room: the event and the revocation travel apart between
   * nodes (the bus and the revocations' subject), and whichever arrives first tells them
   */
  #tellRemoved(room: LiveRoom, userId: UserId): void {
    if (room.toldRemoved.has(userId)) return;
    room.toldRemoved.add(userId);
    this.sendTo(room.state.id, userId, { type: 'notice', notice: 'removed', by: null });
  }

  #closeEnded(room: LiveRoom): void {
    const text = this.#stateText(room, {});
    const stateText = Buffer.from(text);
    room.lastState = stateText;
    room.lastStateText = text;
    room.dirty = false;
    // the audience hears it ended before its stream closes with 4010 (program-delivery.ts)
    this.#audience?.publish(room.state.id, text);
    const notice = encode({ type: 'notice', notice: 'ended', by: null });
    const conns = [...room.conns];
    for (const c of conns) {
      c.send(stateText);
      c.send(notice);
    }
    // close on the next turn, so the host's own "end" gets its ack before the socket goes
    setImmediate(() => {
      for (const c of conns) c.close(CLOSE_CODES.roomEnded, 'this room has ended');
    });
  }

  #name(id: UserId): UserView {
    return this.#users.get(id);
  }
}
