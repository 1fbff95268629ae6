/**
 * @module room-placement — which open rooms this node is the origin of. Every `renewMs` it claims the
 * lease of each open room it tracks (an origin-capable node competes for all of them; the store lets
 * exactly one win, and renews the winner at the same epoch), and it claims a room at once when the room
 * opens or a member's offer arrives first. Winning calls `lead` (start the room's stage and mixer,
 * publish under the epoch); losing calls `yield` (stop at once); a room no longer open is released so
 * another node need not wait for its lease to run out. When the store cannot be reached, a node keeps
 * what it holds (the audience keeps hearing the room; should another node take the lease meanwhile, the
 * edges drop the older epoch's frames). It never touches media or sockets itself.
 */
import type { RoomId } from '../domain/ids.ts';
import type { LeaseStore } from '../store/lease-types.ts';
import { isStoreOutage } from './errors.ts';

/** 3 s without a renewal frees a room; a renewal each second survives two lost ones */
export const LEASE_TTL_MS = 3000;
export const LEASE_RENEW_MS = 1000;

export interface RoomPlacementDeps {
  readonly leases: LeaseStore;
  readonly nodeId: string;
  readonly now: () => number;
  /** the rooms this node should keep an origin for: the open rooms it tracks */
  readonly openRooms: () => Iterable<RoomId>;
  /** this node now holds the room at `epoch`; `takeover` when another node held it before */
  readonly lead: (roomId: RoomId, epoch: number, takeover: boolean) => void;
  /** another node holds the room now: stop its stage and program here at once */
  readonly yield: (roomId: RoomId) => void;
  readonly onError: (err: unknown, roomId: RoomId | null) => void;
  readonly ttlMs?: number;
  readonly renewMs?: number;
}

export class RoomPlacement {
  readonly #d: RoomPlacementDeps;
  /** rooms held here, with the epoch */
  readonly #held = new Map<RoomId, number>();
  readonly #claiming = new Map<RoomId, Promise<boolean>>();
  #timer: NodeJS.Timeout | null = null;
  #round: Promise<void> | null = null;
  #stopped = false;

  constructor(deps: RoomPlacementDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#schedule();
  }

  /** the epoch this node holds the room at, or null when it is not its origin */
  epochOf(roomId: RoomId): number | null {
    return this.#held.get(roomId) ?? null;
  }

  get heldRooms(): number {
    return this.#held.size;
  }

  /** claims (or renews) the room now; true when this node holds it. Concurrent calls share one claim. */
  claim(roomId: RoomId): Promise<boolean> {
    const pending = this.#claiming.get(roomId);
    if (pending !== undefined) return pending;
    const p = this.#claim(roomId).finally(() => this.#claiming.delete(roomId));
    this.#claiming.set(roomId, p);
    return p;
  }

  /** one renewal round: every open room claimed, every held room that is no longer open released */
  async renew(): Promise<void> {
    const open = new Set(this.#d.openRooms());
    await Promise.all([...open].map((id) => this.claim(id)));
    for (const [id, epoch] of [...this.#held]) {
      if (open.has(id)) continue;
      this.#held.delete(id);
      this.#d.yield(id);
      await this.#d.leases.release(id, this.#d.nodeId, epoch).catch((err: unknown) => this.#d.onError(err, id));
    }
  }

  /** stops renewing and gives every held room up, so another node takes them at once (orderly shutdown) */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#round;
    await Promise.all(
      [...this.#held].map(async ([id, epoch]) => {
        this.#held.delete(id);
        this.#d.yield(id);
        await this.#d.leases.release(id, this.#d.nodeId, epoch).catch((err: unknown) => this.#d.onError(err, id));
      }),
    );
  }

  async #claim(roomId: RoomId): Promise<boolean> {
    if (this.#stopped) return false;
    let lease;
    try {
      lease = await this.#d.leases.claim(roomId, this.#d.nodeId, this.#d.now(), this.#d.ttlMs ?? LEASE_TTL_MS);
    } catch (err) {
      // the store is out of reach: keep what is held (see the module comment); an outage is the store's
      // to report, once, not this room's every second
      if (!isStoreOutage(err)) this.#d.onError(err, roomId);
      return this.#held.has(roomId);
    }
    const had = this.#held.get(roomId);
    if (lease.nodeId === this.#d.nodeId && !this.#stopped) {
      this.#held.set(roomId, lease.epoch);
      if (had === undefined) this.#d.lead(roomId, lease.epoch, lease.epoch > 1);
      else if (had !== lease.epoch) this.#d.lead(roomId, lease.epoch, true);
      return true;
    }
    if (had !== undefined) {
      this.#held.delete(roomId);
      this.#d.yield(roomId);
    }
    return false;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#round = this.renew()
        .catch((err: unknown) => this.#d.onError(err, null))
        .finally(() => {
          this.#round = null;
          this.#schedule();
        });
    }, this.#d.renewMs ?? LEASE_RENEW_MS);
  }
}
