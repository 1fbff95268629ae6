/**
 * @module store — the smallest external store React can subscribe to (useSyncExternalStore): one
 * immutable snapshot, replaced whole on each change, and a set of listeners. A listener that throws is
 * reported to the console and the others still run; nothing is swallowed silently.
 */
import { useSyncExternalStore } from 'react';

export class Store<T> {
  #value: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  get = (): T => this.#value;

  set(next: T): void {
    if (Object.is(next, this.#value)) return;
    this.#value = next;
    for (const l of [...this.#listeners]) {
      try {
        l();
      } catch (err) {
        console.error('store listener failed', err);
      }
    }
  }

  update(fn: (v: T) => T): void {
    this.set(fn(this.#value));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
