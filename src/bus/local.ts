/**
 * @module bus/local — the in-process bus: delivers each message synchronously, in publish order, to
 * every subscriber. A subscriber that throws is reported through `onError` and never stops delivery to
 * the others. Like the NATS bus it drops a message older than the room's newest (VersionGate): one
 * contract for both, whatever the order callers publish in.
 */
import type { Bus, BusHandler, BusMessage } from './types.ts';
import { VersionGate } from './version-gate.ts';

export class LocalBus implements Bus {
  readonly #handlers = new Set<BusHandler>();
  readonly #onError: (err: unknown, msg: BusMessage) => void;
  readonly #gate = new VersionGate();
  readonly #now: () => number;

  constructor(onError: (err: unknown, msg: BusMessage) => void, now: () => number = Date.now) {
    this.#onError = onError;
    this.#now = now;
  }

  /** messages dropped as older than the room state already delivered */
  get staleDropped(): number {
    return this.#gate.dropped;
  }

  publish(msg: BusMessage): void {
    if (!this.#gate.admit(msg, this.#now())) return;
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
