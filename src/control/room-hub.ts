/**
 * @module room-hub — this node's live view of its rooms: the latest state of each open room, the control
 * connections of the people in it, and the per-tick aggregates (listener count, reactions). The count
 * shown is the room's across the cluster: this node's own, live, plus what the other nodes last
 * reported (`elsewhere`, 0 on a single node); this node's own is what it reports to them. Room-wide
 * state goes out once per tick and only when it changed, serialised once, the same string written to
 * every connection: nothing per listener but the write. Private messages (your place, notices, the
 * hand-raise queue) go only to the people they concern, whose number does not grow with the audience.
 * The hub never decides a rule and never writes the store; it learns of changes from the bus.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import { isModerator } from '../domain/room-queries.ts';
import type { RoomEvent } from '../domain/room-events.ts';
import type { Reaction } from '../domain/limits.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { Notice, ServerMessage, UserView } from '../protocol/api-views.ts';
import type { BusMessage } from '../bus/types.ts';
import type { Revocation } from '../bus/revocations.ts';
import { CLOSE_CODES } from '../protocol/close-codes.ts';
import { AmphiError } from './errors.ts';
import { myPlace, requestsView, roomView, samePlace } from './room-views.ts';
import type { UserDirectory } from './user-directory.ts';

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
  dirty: boolean;
  lastListenerCount: number;
  /** the last broadcast state, encoded once; a newcomer gets it too while nothing changed */
  lastState: Uint8Array | null;
  reactions: Map<Reaction, number>;
  speaking: readonly string[];
}

const encode = (msg: ServerMessage): string => JSON.stringify(msg);

export class RoomHub {
  readonly #rooms = new Map<RoomId, LiveRoom>();
  readonly #users: UserDirectory;
  readonly #elsewhere: (roomId: RoomId) => number;
  #onPersonJoined: ((state: RoomState, userId: UserId) => void) | null = null;

  /** `elsewhere`: the room's listeners on the other nodes of a cluster (presence), never this node's */
  constructor(users: UserDirectory, elsewhere: (roomId: RoomId) => number = () => 0) {
    this.#users = users;
    this.#elsewhere = elsewhere;
  }

  /** called when a signed-in person opens their first connection to a room (listen counts) */
  onPersonJoined(callback: (state: RoomState, userId: UserId) => void): void {
    this.#onPersonJoined = callback;
  }

  /** start tracking a room (created, or loaded at start-up) */
  track(state: RoomState): void {
    const known = this.#rooms.get(state.id);
    if (known) {
      known.state = state;
      known.dirty = true;
      return;
    }
    this.#rooms.set(state.id, {
      state,
      conns: new Set(),
      byUser: new Map(),
      dirty: true,
      lastListenerCount: -1,
      lastState: null,
      reactions: new Map(),
      speaking: [],
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

  /** people listening to the room through this node: what it reports to the others */
  listenersHere(roomId: RoomId): number {
    const room = this.#rooms.get(roomId);
    if (!room) return 0;
    let onStage = 0;
    for (const m of room.state.stage) onStage += room.byUser.get(m.userId)?.size ?? 0;
    return room.conns.size - onStage;
  }

  /** adds a connection and sends it the room as it is now; returns true when it is this person's first */
  attach(roomId: RoomId, conn: RoomConnection): boolean {
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
    conn.send(encode({ type: 'me', me: myPlace(room.state, conn.userId) }));
    if (conn.userId !== null && isModerator(room.state, conn.userId)) conn.send(this.#requestsText(room));
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
    return true;
  }

  isConnected(roomId: RoomId, userId: UserId): boolean {
    return (this.#rooms.get(roomId)?.byUser.get(userId)?.size ?? 0) > 0;
  }

  countReaction(roomId: RoomId, reaction: Reaction): void {
    const room = this.#rooms.get(roomId);
    if (room) room.reactions.set(reaction, (room.reactions.get(reaction) ?? 0) + 1);
  }

  /** one private message to every connection of one person in one room */
  sendTo(roomId: RoomId, userId: UserId, msg: ServerMessage): void {
    const set = this.#rooms.get(roomId)?.byUser.get(userId);
    if (!set) return;
    const text = encode(msg);
    for (const c of set) c.send(text);
  }

  onBus(msg: BusMessage): void {
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
    this.#sendPlaces(room, before);
    let requestsChanged = false;
    for (const ev of msg.events) requestsChanged = this.#applyEvent(room, ev) || requestsChanged;
    if (requestsChanged) this.#sendRequests(room);
    if (msg.state.status === 'ended' && before.status !== 'ended') this.#closeEnded(room);
  }

  /**
   * push room-wide state where it changed; called every tick. `speakingOf` returns the same array
   * object while the set of speakers is unchanged.
   */
  flush(speakingOf: (roomId: RoomId) => readonly string[] = () => []): void {
    for (const [id, room] of this.#rooms) {
      const count = this.listenerCount(id);
      const speaking = speakingOf(id);
      if (speaking !== room.speaking) {
        room.speaking = speaking;
        room.dirty = true;
      }
      if (!room.dirty && count === room.lastListenerCount && room.reactions.size === 0) continue;
      room.lastListenerCount = count;
      const bytes = Buffer.from(this.#stateText(room, Object.fromEntries(room.reactions)));
      room.lastState = bytes;
      room.dirty = false;
      room.reactions.clear();
      for (const c of room.conns) c.send(bytes);
      if (room.state.status === 'ended' && room.conns.size === 0) this.#rooms.delete(id);
    }
  }

  #stateText(room: LiveRoom, reactions: Partial<Record<Reaction, number>>): string {
    return encode({
      type: 'state',
      room: roomView(room.state, (id) => this.#users.get(id), this.listenerCount(room.state.id)),
      reactions,
      speaking: room.speaking,
    });
  }

  #requestsText(room: LiveRoom): string {
    return encode({ type: 'requests', requests: requestsView(room.state, (id) => this.#users.get(id)) });
  }

  #sendRequests(room: LiveRoom): void {
    const text = this.#requestsText(room);
    for (const m of room.state.stage) {
      if (m.role === 'speaker') continue;
      for (const c of room.byUser.get(m.userId) ?? []) c.send(text);
    }
  }

  /** tells each connected person whose own place changed; only people named in the state can change */
  #sendPlaces(room: LiveRoom, before: RoomState): void {
    const after = room.state;
    const touched = new Set<UserId>();
    for (const s of [before, after]) {
      for (const m of s.stage) touched.add(m.userId);
      for (const r of s.requests) touched.add(r.userId);
      for (const i of s.invites) touched.add(i.userId);
    }
    for (const u of after.removed.slice(before.removed.length)) touched.add(u);
    for (const userId of touched) {
      if (!room.byUser.has(userId)) continue;
      const now = myPlace(after, userId);
      if (!samePlace(myPlace(before, userId), now)) this.sendTo(after.id, userId, { type: 'me', me: now });
      // a person who just became host or co-host needs the queue they now run
      if (isModerator(after, userId) && !isModerator(before, userId)) {
        for (const c of room.byUser.get(userId) ?? []) c.send(this.#requestsText(room));
      }
    }
  }

  /** returns true when the hand-raise queue changed */
  #applyEvent(room: LiveRoom, ev: RoomEvent): boolean {
    const id = room.state.id;
    const notice = (userId: UserId, n: Notice, by: UserId | null) =>
      this.sendTo(id, userId, { type: 'notice', notice: n, by: by === null ? null : this.#name(by) });
    switch (ev.type) {
      case 'requestsChanged':
        return true;
      case 'stageChanged':
        return true; // who is a moderator may have changed
      case 'invited':
        notice(ev.userId, 'invited', ev.by);
        return false;
      case 'inviteCancelled':
        notice(ev.userId, 'inviteCancelled', null);
        return false;
      case 'requestDeclined':
        notice(ev.userId, 'requestDeclined', null);
        return false;
      case 'mutedByModerator':
        notice(ev.userId, 'mutedByModerator', ev.by);
        return false;
      case 'removed':
        // the revocation that follows closes their connections (revoke below)
        notice(ev.userId, 'removed', null);
        return false;
      case 'hostChanged': {
        const text = encode({ type: 'notice', notice: 'hostChanged', by: this.#name(ev.to) });
        for (const c of room.conns) c.send(text);
        return true;
      }
      case 'invitesChanged':
      case 'rescheduled':
      case 'startTimeReached':
      case 'statusChanged':
      case 'detailsChanged':
      case 'pinsChanged':
      case 'reacted':
      case 'reported':
        return false;
    }
  }

  /** a removed or blocked person's control connections to the room close at once */
  revoke(r: Revocation): void {
    const set = this.#rooms.get(r.roomId)?.byUser.get(r.userId);
    if (!set) return;
    for (const c of [...set]) {
      if (r.cause === 'removed') c.close(CLOSE_CODES.removed, 'removed from this room');
      else c.close(CLOSE_CODES.forbidden, 'blocked_by_host');
    }
  }

  #closeEnded(room: LiveRoom): void {
    const stateText = Buffer.from(this.#stateText(room, {}));
    room.lastState = stateText;
    room.dirty = false;
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
