/**
 * @module line-waiters — the sockets that hold a number in the node's waiting line themselves (direct
 * joins), kept in number order so letting the line move to K takes exactly the sockets up to K, at
 * O(1) each: no scan of those still waiting. A socket that leaves while waiting is only marked gone
 * (its place is skipped when the line reaches it). Pure bookkeeping, no sockets touched here.
 */

export interface LineWaiter<T> {
  readonly number: number;
  readonly value: T;
  gone: boolean;
}

export class LineWaiters<T> {
  #items: LineWaiter<T>[] = [];
  #head = 0;
  #live = 0;

  /** waiters still connected */
  get size(): number {
    return this.#live;
  }

  /** numbers come from one counter, so this is nearly always an append */
  add(number: number, value: T): LineWaiter<T> {
    const w: LineWaiter<T> = { number, value, gone: false };
    const items = this.#items;
    let i = items.length;
    while (i > this.#head && (items[i - 1] as LineWaiter<T>).number > number) i--;
    items.splice(i, 0, w);
    this.#live++;
    return w;
  }

  /** the waiter left (closed its socket); idempotent */
  remove(w: LineWaiter<T>): void {
    if (w.gone) return;
    w.gone = true;
    this.#live--;
  }

  /** every waiter still there with a number ≤ upTo, in order, removed from the line */
  takeUpTo(upTo: number): T[] {
    const out: T[] = [];
    const items = this.#items;
    while (this.#head < items.length) {
      const w = items[this.#head] as LineWaiter<T>;
      if (w.number > upTo) break;
      this.#head++;
      if (!w.gone) {
        w.gone = true;
        this.#live--;
        out.push(w.value);
      }
    }
    // drop the taken prefix now and then, not on every take
    if (this.#head > 1024 && this.#head * 2 > items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }
}
