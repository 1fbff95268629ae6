/**
 * @module listener-list — the dense array of a fan-out's listeners: add is a push, remove swaps the last
 * entry into the hole (each entry knows its slot), so the hot path iterates a plain array and never a Set.
 * Shared by both fan-outs. It never closes or writes to a socket; it only keeps the books.
 */
import type { ListenerEntry } from './listener-entry.ts';

export class ListenerList {
  /** iterate backwards when removing while iterating: a removal only moves the last entry */
  readonly entries: ListenerEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** false if the entry is already in a list */
  add(entry: ListenerEntry): boolean {
    if (entry.index >= 0) return false;
    entry.index = this.entries.length;
    this.entries.push(entry);
    return true;
  }

  /** takes the entry out and marks it detached; false if it was not in this list */
  remove(entry: ListenerEntry): boolean {
    const i = entry.index;
    if (i < 0 || this.entries[i] !== entry) return false;
    const last = this.entries.pop();
    if (last !== undefined && last !== entry) {
      this.entries[i] = last;
      last.index = i;
    }
    entry.index = -1;
    entry.detached = true;
    return true;
  }

  /** empties the list, every entry marked detached, and returns them */
  takeAll(): ListenerEntry[] {
    const all = this.entries.splice(0);
    for (const e of all) {
      e.index = -1;
      e.detached = true;
    }
    return all;
  }
}
