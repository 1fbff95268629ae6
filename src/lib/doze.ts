/**
 * @module doze — a pause a background loop can be woken from: the loop waits with `for(ms)`, anyone may
 * `wake()` it early (new work arrived), and `stop()` ends the current pause and every later one at once,
 * so a loop checking `stopped` winds down without waiting out its timer. Uses only the global timer.
 */
export class Doze {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #wakeUp: (() => void) | null = null;
  #stopped = false;

  get stopped(): boolean {
    return this.#stopped;
  }

  /** resolves after `ms`, or sooner on wake() or stop() */
  for(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wakeUp = resolve;
      this.#timer = setTimeout(() => this.wake(), ms);
    });
  }

  wake(): void {
    const w = this.#wakeUp;
    this.#wakeUp = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    w?.();
  }

  stop(): void {
    this.#stopped = true;
    this.wake();
  }
}
