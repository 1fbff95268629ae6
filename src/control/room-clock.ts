/**
 * @module room-clock — the heartbeat of this node's rooms. Every tick it pushes room-wide state where it
 * changed (hub.flush) and asks the rules to apply time to rooms whose host is away (grace period, then
 * hand-over to a co-host or the hostless end). Ticks never overlap: a slow one delays the next instead
 * of piling up. Time rules run only on the room's origin (the node holding its lease), so a cluster
 * decides each hand-over once. On the origin it also carries out the mutes the room's sound guard asks
 * for (a hot mic held too long, an echo in 'mute' rooms) as the server's own `autoMute`.
 */
import type { RoomId } from '../domain/ids.ts';
import { LIMITS } from '../domain/limits.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { RoomSound } from '../bus/media-router.ts';
import type { AutoMute } from './room-media.ts';
import type { RoomHub } from './room-hub.ts';
import type { RoomService } from './room-service.ts';

export class RoomClock {
  readonly #hub: RoomHub;
  readonly #rooms: RoomService;
  readonly #tickMs: number;
  readonly #now: () => number;
  readonly #onError: (err: unknown, roomId: RoomId | null) => void;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  readonly #sound: (roomId: RoomId) => RoomSound;
  readonly #leads: (roomId: RoomId) => boolean;
  readonly #autoMutes: (roomId: RoomId) => readonly AutoMute[];

  constructor(
    hub: RoomHub,
    rooms: RoomService,
    tickMs: number,
    now: () => number,
    sound: (roomId: RoomId) => RoomSound,
    leads: (roomId: RoomId) => boolean,
    onError: (err: unknown, roomId: RoomId | null) => void,
    autoMutes: (roomId: RoomId) => readonly AutoMute[] = () => [],
  ) {
    this.#now = now;
    this.#sound = sound;
    this.#autoMutes = autoMutes;
    this.#leads = leads;
    this.#hub = hub;
    this.#rooms = rooms;
    this.#tickMs = tickMs;
    this.#onError = onError;
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  /** one tick, exposed so tests can step time without waiting */
  async tick(): Promise<void> {
    for (const state of this.#hub.openRooms()) {
      // scheduled rooms keep their own time in ScheduleClock, from the store, tracked here or not
      if (state.status === 'scheduled') continue;
      // time is applied by the room's origin only: one node per room decides a hand-over
      if (this.#leads(state.id) && this.#timeMayChange(state)) {
        try {
          await this.#rooms.act(state.id, { kind: 'system' }, { type: 'tick' });
        } catch (err) {
          this.#onError(err, state.id);
        }
      }
    }
    this.#hub.flush(this.#sound);
    // after the flush, which read what the ear heard this tick: the sound guard's mutes, on the origin only
    for (const state of this.#hub.openRooms()) {
      if (state.status === 'scheduled' || !this.#leads(state.id)) continue;
      for (const m of this.#autoMutes(state.id)) {
        try {
          await this.#rooms.act(state.id, { kind: 'system' }, { type: 'autoMute', target: m.userId, cause: m.cause });
        } catch (err) {
          this.#onError(err, state.id);
        }
      }
    }
  }

  /**
   * Whether the rules' `tick` could change this room now, so a database transaction is spent only then:
   * the host has been away past the grace period AND either a co-host is there to take over, or a live
   * room has run hostless long enough to end.
   */
  #timeMayChange(state: RoomState): boolean {
    const host = state.stage.find((m) => m.role === 'host');
    if (!host || host.connected || host.disconnectedAt === null) return false;
    const now = this.#now();
    const graceOver = host.disconnectedAt + LIMITS.hostGraceMs;
    if (now < graceOver) return false;
    const heir = state.stage.some((m) => m.role === 'cohost' && m.connected);
    return heir || (state.status === 'live' && now >= graceOver + LIMITS.hostlessMs);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.tick()
        .catch((err: unknown) => this.#onError(err, null))
        .finally(() => this.#schedule());
    }, this.#tickMs);
  }
}
