/**
 * @module stage-presence — keeps each stage member's "connected" true to where their control sockets
 * are, whichever node holds them. A member's socket opening or closing tells the rules on that node
 * (room-socket.ts); two things escape that, and this mends both through the same rules:
 * - a node holding a member's socket sees the room say they are away (they were brought on stage, or
 *   accepted, through another node, whose hub had no socket of theirs; or a disconnect of theirs from
 *   another node landed): it says `connect` for them, on the state message itself;
 * - a member's node died without a word (kill -9, a lost machine): nobody says `disconnect`. The room's
 *   origin (the lease holder, one node per room) checks once per presence period for members shown
 *   connected whom neither it nor any node's fresh report holds, and says `disconnect` for those missing
 *   PRESENCE_FRESH_MS in a row (three reports: a socket that just opened elsewhere is in its node's next
 *   report, and a node that just took the room has heard everyone's by then). The grace period and the
 *   co-host take-over then run as after any disconnection.
 * It costs one pass over the stage (at most 13 people) of the rooms a node leads per period, and one
 * over a changed room's stage per state message; nothing per listener. Missing time is wall time, as
 * presence's freshness is.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import { PRESENCE_FRESH_MS, PRESENCE_PERIOD_MS, type NodeReport } from '../bus/presence.ts';
import type { BusMessage } from '../bus/types.ts';
import type { RoomHub } from './room-hub.ts';

export interface StagePresenceDeps {
  readonly hub: Pick<RoomHub, 'isConnected' | 'openRooms'>;
  /** the other nodes' fresh presence reports (none on a single node) */
  readonly others: () => readonly NodeReport[];
  /** whether this node is the room's origin now */
  readonly leads: (roomId: RoomId) => boolean;
  /** `connect` or `disconnect` for the member, through the rules (as their socket would) */
  readonly act: (roomId: RoomId, userId: UserId, type: 'connect' | 'disconnect') => Promise<void>;
  readonly onError: (err: unknown, roomId: RoomId) => void;
  /** wall clock, ms (default Date.now) */
  readonly clock?: () => number;
  readonly periodMs?: number;
  readonly missingMs?: number;
}

const keyOf = (roomId: RoomId, userId: UserId): string => `${roomId} ${userId}`;

export class StagePresence {
  readonly #d: StagePresenceDeps;
  readonly #clock: () => number;
  /** members of rooms led here, shown connected but held nowhere: since when (wall time) */
  readonly #missingSince = new Map<string, number>();
  /** one request at a time per member: a burst of state messages asks once */
  readonly #asking = new Set<string>();
  #timer: NodeJS.Timeout | null = null;

  constructor(deps: StagePresenceDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? Date.now;
  }

  /** a room's state arrived: members whose socket is here but shown away are connected again */
  onBus(msg: BusMessage): void {
    if (msg.type === 'handsChanged' || msg.state.status === 'ended') return;
    for (const m of msg.state.stage) {
      if (!m.connected && this.#d.hub.isConnected(msg.roomId, m.userId)) this.#ask(msg.roomId, m.userId, 'connect');
    }
  }

  /** one check of the rooms this node leads (once per presence period after start()) */
  check(): void {
    const now = this.#clock();
    const held = this.#heldElsewhere();
    const seen = new Set<string>();
    for (const state of this.#d.hub.openRooms()) {
      if (!this.#d.leads(state.id)) continue;
      for (const m of state.stage) {
        if (!m.connected || this.#d.hub.isConnected(state.id, m.userId) || held.get(state.id)?.has(m.userId) === true) continue;
        const key = keyOf(state.id, m.userId);
        seen.add(key);
        const since = this.#missingSince.get(key) ?? now;
        this.#missingSince.set(key, since);
        if (now - since >= (this.#d.missingMs ?? PRESENCE_FRESH_MS)) this.#ask(state.id, m.userId, 'disconnect');
      }
    }
    // found again, shown away already, or the room is no longer led here: counting starts over
    for (const key of [...this.#missingSince.keys()]) if (!seen.has(key)) this.#missingSince.delete(key);
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.check(), this.#d.periodMs ?? PRESENCE_PERIOD_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** per room, the stage members whose sockets the other nodes said they hold */
  #heldElsewhere(): Map<RoomId, Set<UserId>> {
    const held = new Map<RoomId, Set<UserId>>();
    for (const report of this.#d.others()) {
      for (const [roomId, counts] of report.rooms) {
        for (const u of counts.stage ?? []) {
          let set = held.get(roomId);
          if (set === undefined) held.set(roomId, (set = new Set()));
          set.add(u);
        }
      }
    }
    return held;
  }

  #ask(roomId: RoomId, userId: UserId, type: 'connect' | 'disconnect'): void {
    const key = keyOf(roomId, userId);
    if (this.#asking.has(key)) return;
    this.#asking.add(key);
    this.#d
      .act(roomId, userId, type)
      .catch((err: unknown) => this.#d.onError(err, roomId))
      .finally(() => {
        this.#asking.delete(key);
        if (type === 'disconnect') this.#missingSince.delete(key);
      });
  }
}
