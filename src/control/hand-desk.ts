/**
 * @module hand-desk — the hand-raise queue's side of the room service. The rules decide whether a hand
 * may go up or down (from the bounded state and whose hand is up); this desk applies what they decided
 * to the store's rows and tells every node's hub through the bus (a host's socket may be on another
 * node than the raiser's request), with the names of whoever raised. Raises and lowers arrive through
 * the audience lane (room-lanes.ts) and are decided and written as one batch: one read of whose hands
 * are up, one transaction, one change for the moderators. Each person may change their hand at most
 * LIMITS.handChanges times per LIMITS.handChangeWindowMs in a room (toggling spam is refused before it
 * queues). Moderator decisions that lower a hand (approve, decline, remove, an accepted invitation) hand
 * their events here after they are published. Never formats HTTP and never decides a rule itself.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import type { Decision } from '../domain/decision.ts';
import { LIMITS } from '../domain/limits.ts';
import { decide } from '../domain/room-rules.ts';
import type { RoomState } from '../domain/room-state.ts';
import { WindowLimiter } from '../lib/window-limiter.ts';
import type { Bus } from '../bus/types.ts';
import type { HandChange } from '../store/hand-types.ts';
import type { Store } from '../store/types.ts';
import { AmphiError } from './errors.ts';
import type { RoomHub } from './room-hub.ts';
import type { Answer } from './room-lanes.ts';
import type { UserDirectory } from './user-directory.ts';

/** one person's raise or lower, with the account facts the rules need looked up before it queued */
export interface HandAsk {
  readonly userId: UserId;
  readonly type: 'requestToSpeak' | 'cancelRequest';
  readonly followedByHost: boolean;
  readonly blockedByHost: boolean;
}

export interface HandDeskDeps {
  readonly store: Store;
  /** whose control sockets are on this node (the rules ask whether someone brought up is connected) */
  readonly hub: Pick<RoomHub, 'isConnected'>;
  /** every node's hub learns each change of the queue from here */
  readonly bus: Bus;
  readonly users: UserDirectory;
  readonly now: () => number;
  /** the room's state as this node knows it now */
  readonly state: (roomId: RoomId) => Promise<RoomState>;
}

export class HandDesk {
  readonly #d: HandDeskDeps;
  readonly #limiter = new WindowLimiter({ max: LIMITS.handChanges, windowMs: LIMITS.handChangeWindowMs });

  constructor(deps: HandDeskDeps) {
    this.#d = deps;
  }

  /** counts one change of `userId`'s hand; throws rate_limited (with Retry-After) past the limit */
  limit(roomId: RoomId, userId: UserId): void {
    const key = `${roomId} ${userId}`;
    const now = this.#d.now();
    const wait = this.#limiter.retryAfterMs(key, now);
    if (wait > 0) throw AmphiError.rateLimited(Math.ceil(wait / 1000), 'raises and lowers of your hand');
    this.#limiter.hit(key, now);
  }

  /** decides a batch of raises and lowers in order against the state and whose hands are up, then writes what moved */
  async run(roomId: RoomId, asks: readonly HandAsk[]): Promise<readonly Answer<RoomState>[]> {
    const state = await this.#d.state(roomId);
    const before = await this.#d.store.hands.raised(roomId, asks.map((a) => a.userId));
    const up = new Set(before);
    const raisedAt = new Map<UserId, number>();
    const now = this.#d.now();
    const answers = asks.map((ask): Answer<RoomState> => {
      const d = decide(state, { kind: 'user', userId: ask.userId }, { type: ask.type }, {
        now,
        followedByHost: () => ask.followedByHost,
        blockedByHost: () => ask.blockedByHost,
        hasConnection: (u) => this.#d.hub.isConnected(roomId, u),
        handRaised: (u) => up.has(u),
      });
      if (!d.ok) return { ok: false, error: AmphiError.fromRejection(d.rejection) };
      for (const ev of d.events) {
        if (ev.type === 'handRaised') {
          up.add(ev.userId);
          raisedAt.set(ev.userId, ev.at);
        } else if (ev.type === 'handLowered') up.delete(ev.userId);
      }
      return { ok: true, value: state };
    });
    // only where each person ended up counts: a raise then a lower in one batch moves nothing
    const raises = [...up].filter((u) => !before.has(u)).map((u) => ({ userId: u, at: raisedAt.get(u) ?? now }));
    const lowers = [...before].filter((u) => !up.has(u));
    if (raises.length > 0 || lowers.length > 0) {
      await this.#announce(roomId, await this.#d.store.hands.apply(roomId, state.hostId, raises, lowers));
    }
    return answers;
  }

  /**
   * after a moderator's decision was published: the hands it lowered leave the queue, and whoever it
   * brought onto the stage ranks higher in the host's queues from now on
   */
  async afterDecision(roomId: RoomId, before: RoomState, decision: Extract<Decision, { ok: true }>): Promise<void> {
    const after = decision.state;
    const arrived = after.stage.filter((m) => !before.stage.some((b) => b.userId === m.userId));
    for (const m of arrived) await this.#d.store.hands.noteSpoke(after.hostId, m.userId, this.#d.now());
    const lowered = decision.events.flatMap((ev) => (ev.type === 'handLowered' ? [ev.userId] : []));
    if (lowered.length > 0) await this.#announce(roomId, await this.#d.store.hands.apply(roomId, after.hostId, [], lowered));
  }

  /** the change to every node, with the raisers' names (one read for the batch: the moderators' view shows them) */
  async #announce(roomId: RoomId, change: HandChange): Promise<void> {
    const raisers = change.added.map((r) => r.userId);
    // a read that fails leaves placeholder names: the change itself must still reach the moderators
    await this.#d.users.ensure(raisers).catch(() => undefined);
    this.#d.bus.publish({ type: 'handsChanged', roomId, change, names: raisers.map((u) => this.#d.users.get(u)) });
  }
}
