/**
 * @module publish-queue — keeps one batch's writes from holding the event loop for the whole batch.
 * Each stream's listeners sit in shards of at most a few hundred; a batch becomes one job per shard,
 * and the queue runs jobs in order (so each listener's messages keep theirs) for at most `sliceMs`
 * before yielding the loop with setImmediate and going on. A small room's batch is one job, written
 * at once as before; 20,000 listeners become ~20 jobs written back to back in slices, with timers, the
 * API and new joins served between them. The writes stay one burst (a reader woken once per batch,
 * which measured cheaper on loopback than spreading them over the batch's interval), only the loop is
 * let go between slices. It also keeps the figure admission reads: the share of wall time spent
 * writing (duty). It must never drop or reorder a job.
 */

/** what a job writes to: one shard of a stream's listeners */
export interface PublishTarget {
  publish(message: Uint8Array, frames: number, now: number): void;
  /** the last seq this shard's listeners were sent (after its job ran) */
  sentSeq: number | null;
}

interface Job {
  readonly target: PublishTarget;
  readonly message: Uint8Array;
  readonly frames: number;
  /** the batch's last seq, null for a notice */
  readonly lastSeq: number | null;
}

export interface PublishQueueOptions {
  /** longest stretch of writes before the loop is let go, ms (default 8) */
  readonly sliceMs?: number;
  /** monotonic ms (performance.now) */
  readonly clock?: () => number;
  /** wall ms for the fan-out's backpressure clock */
  readonly wall?: () => number;
  readonly yieldLoop?: (fn: () => void) => void;
}

/** length of the window the duty is measured over, ms */
const DUTY_WINDOW_MS = 1000;

export class PublishQueue {
  readonly #sliceMs: number;
  readonly #clock: () => number;
  readonly #wall: () => number;
  readonly #yield: (fn: () => void) => void;
  readonly #jobs: Job[] = [];
  #head = 0;
  #draining = false;
  #scheduled = false;
  #busyMs = 0;
  #windowStart: number;
  #windowBusy = 0;
  #duty = 0;
  #slices = 0;

  constructor(options: PublishQueueOptions = {}) {
    this.#sliceMs = options.sliceMs ?? 8;
    this.#clock = options.clock ?? (() => performance.now());
    this.#wall = options.wall ?? Date.now;
    this.#yield = options.yieldLoop ?? ((fn) => setImmediate(fn));
    this.#windowStart = this.#clock();
  }

  /** jobs queued and not yet written */
  get pending(): number {
    return this.#jobs.length - this.#head;
  }

  /** ms spent writing since start */
  get busyMs(): number {
    return this.#busyMs;
  }

  /** share of wall time spent writing over the last full second (1 = delivery cannot keep up) */
  get duty(): number {
    this.#roll(this.#clock());
    return this.#duty;
  }

  /** slices that ended with work left (the loop was let go mid-batch) since start */
  get slices(): number {
    return this.#slices;
  }

  /** queues one job; nothing is written before `run` (queue a whole batch's shards, then run) */
  push(target: PublishTarget, message: Uint8Array, frames: number, lastSeq: number | null): void {
    this.#jobs.push({ target, message, frames, lastSeq });
  }

  /** writes what is queued now, for up to one slice; the rest follows after the loop has been let go */
  run(): void {
    if (!this.#draining && !this.#scheduled) this.#drain(false);
  }

  /** writes everything queued now, whatever it takes (a stream closing must send its last frames first) */
  drainAll(): void {
    if (!this.#draining) this.#drain(true);
  }

  #drain(all: boolean): void {
    this.#draining = true;
    const start = this.#clock();
    let t = start;
    try {
      // at least one job per slice, so a queue always moves
      while (this.#head < this.#jobs.length && (all || t === start || t - start < this.#sliceMs)) {
        const job = this.#jobs[this.#head] as Job;
        this.#jobs[this.#head] = undefined as unknown as Job;
        this.#head++;
        job.target.publish(job.message, job.frames, this.#wall());
        if (job.lastSeq !== null) job.target.sentSeq = job.lastSeq;
        t = this.#clock();
      }
    } finally {
      this.#draining = false;
      const spent = t - start;
      this.#busyMs += spent;
      this.#roll(t);
      this.#windowBusy += spent;
      if (this.#head >= this.#jobs.length) {
        this.#jobs.length = 0;
        this.#head = 0;
      } else if (!this.#scheduled) {
        this.#slices++;
        this.#scheduled = true;
        this.#yield(() => {
          this.#scheduled = false;
          if (!this.#draining) this.#drain(false);
        });
      }
    }
  }

  #roll(now: number): void {
    const elapsed = now - this.#windowStart;
    if (elapsed < DUTY_WINDOW_MS) return;
    this.#duty = this.#windowBusy / elapsed;
    this.#windowBusy = 0;
    this.#windowStart = now;
  }
}
