/**
 * @module floor-tracker — the talk-over facts a moderator acts on, from the "who is speaking" sets the
 * room's origin takes each tick: who holds the floor (the person speaking longest without a real pause)
 * and since when, and whether two or more people are speaking at once and since when. A pause shorter
 * than `pauseMs` is the gap between words, not the end of a turn (speaking sets flicker between ticks).
 * Nothing is cut or decided here: it only counts. Pure: time comes in as `now`; never reads a clock.
 */
import type { UserId } from '../domain/ids.ts';

export interface FloorFacts {
  readonly floor: { readonly userId: UserId; readonly since: number } | null;
  readonly overlap: { readonly userIds: readonly UserId[]; readonly since: number } | null;
}

interface Turn {
  /** when this turn started */
  readonly since: number;
  /** when they were last heard */
  lastHeard: number;
}

export class FloorTracker {
  readonly #pauseMs: number;
  readonly #turns = new Map<UserId, Turn>();
  #overlapSince: number | null = null;

  constructor(pauseMs = 1500) {
    this.#pauseMs = pauseMs;
  }

  /** the speaking set of this tick; returns the facts as of `now` */
  update(speaking: readonly UserId[], now: number): FloorFacts {
    for (const id of speaking) {
      const t = this.#turns.get(id);
      if (t === undefined) this.#turns.set(id, { since: now, lastHeard: now });
      else t.lastHeard = now;
    }
    for (const [id, t] of this.#turns) if (now - t.lastHeard > this.#pauseMs) this.#turns.delete(id);
    // the holder: the earliest turn still going
    let floor: FloorFacts['floor'] = null;
    for (const [userId, t] of this.#turns) if (floor === null || t.since < floor.since) floor = { userId, since: t.since };
    const talking = [...this.#turns.keys()];
    if (talking.length < 2) {
      this.#overlapSince = null;
      return { floor, overlap: null };
    }
    this.#overlapSince ??= now;
    return { floor, overlap: { userIds: talking, since: this.#overlapSince } };
  }

  forget(userId: UserId): void {
    this.#turns.delete(userId);
  }
}
