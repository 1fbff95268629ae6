/**
 * @module drain — how a node leaves without dropping its audience: joiners are sent elsewhere at once
 * (1001), and the listeners already here are closed a shard at a time, a pause between shards, each
 * after receiving every frame sent so far, so they reconnect (jittered) to other edges and resume above
 * their last frame; a reconnect storm on the other edges is what the pace prevents. Ends when nobody is
 * left or at the deadline. It never closes the node itself; the caller does that after.
 */

export interface Drainable {
  startDraining(): void;
  /** closes up to a shard's listeners; returns how many (0: none left) */
  shed(): number;
  listenerCount(): number;
}

export interface DrainOptions {
  /** pause between shards: 500 listeners per 200 ms is 2,500 reconnects a second for the other edges */
  readonly pauseMs?: number;
  readonly deadlineMs?: number;
  readonly now?: () => number;
}

export interface DrainResult {
  readonly moved: number;
  /** still connected at the deadline (closed by the shutdown that follows) */
  readonly left: number;
  readonly ms: number;
}

export async function drain(target: Drainable, options: DrainOptions = {}): Promise<DrainResult> {
  const now = options.now ?? Date.now;
  const pauseMs = options.pauseMs ?? 200;
  const started = now();
  const deadline = started + (options.deadlineMs ?? 60_000);
  target.startDraining();
  let moved = 0;
  for (;;) {
    const n = target.shed();
    moved += n;
    if (n === 0 || now() >= deadline) break;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return { moved, left: target.listenerCount(), ms: now() - started };
}
