/**
 * @module schedule-clock — applies time to scheduled rooms wherever they are (tracked by this node or
 * not): every poll it asks the store for scheduled rooms whose start time has come and lets the rules
 * tick each (the host's nudge once, then missed an hour later). Polls never overlap; `tick` is exposed
 * so tests step time without waiting.
 */
import type { RoomId } from '../domain/ids.ts';
import type { Store } from '../store/types.ts';
import type { RoomService } from './room-service.ts';

export class ScheduleClock {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    readonly store: Store,
    readonly rooms: RoomService,
    readonly now: () => number,
    readonly pollMs: number,
    readonly onError: (err: unknown, roomId: RoomId | null) => void,
  ) {}

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  async tick(): Promise<void> {
    for (const id of await this.store.notify.listScheduledDue(this.now(), 500)) {
      try {
        await this.rooms.act(id, { kind: 'system' }, { type: 'tick' });
      } catch (err) {
        this.onError(err, id);
      }
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.tick()
        .catch((err: unknown) => this.onError(err, null))
        .finally(() => this.#schedule());
    }, this.pollMs);
  }
}
