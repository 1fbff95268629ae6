/**
 * @module bus/local — the in-process bus: delivers each message synchronously, in publish order, to
 * every subscriber. A subscriber that throws is reported through `onError` and never stops delivery to
 * the others.
 */
import type { Bus, BusHandler, BusMessage } from './types.ts';

export class LocalBus implements Bus {
  readonly #handlers = new Set<BusHandler>();
  readonly #onError: (err: unknown, msg: BusMessage) => void;

  constructor(onError: (err: unknown, msg: BusMessage) => void) {
    this.#onError = onError;
  }

  publish(msg: BusMessage): void {
    for (const h of this.#handlers) {
      try {
        h(msg);
      } catch (err) {
        this.#onError(err, msg);
      }
    }
  }

  subscribe(handler: BusHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.#handlers.clear();
  }
}
