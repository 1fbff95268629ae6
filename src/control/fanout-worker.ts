/**
 * @module fanout-worker — runs the durable fan-out jobs in the store: one batch at a time per job, in
 * turn, paced by a FanoutPacer so the joins that notices cause stay under what listener nodes admit.
 * Each batch is one store transaction that writes the notifications and moves the job's cursor, so a
 * crash or restart resumes where the last committed batch stopped (open jobs are picked up at start).
 * After each batch it pushes the new notifications to connected people and the progress to the host.
 * Never issues one query per recipient; never sleeps in tests (they call `runUntilIdle`).
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import type { FanoutProgressView } from '../protocol/notify-views.ts';
import type { FanoutBatch, FanoutJob, FanoutKind } from '../store/notify-types.ts';
import type { Store } from '../store/types.ts';
import type { FanoutPacer } from './fanout-pacer.ts';
import type { NotificationService } from './notification-service.ts';
import type { UserChannels } from './user-channels.ts';
import { Doze } from '../lib/doze.ts';

export interface FanoutWorkerDeps {
  readonly store: Store;
  readonly pacer: FanoutPacer;
  readonly notifications: NotificationService;
  readonly channels: UserChannels;
  readonly now: () => number;
  /** a job's progress after each batch (logs, metrics) */
  readonly onProgress?: (job: FanoutJob, sentNow: number) => void;
  readonly onError: (err: unknown) => void;
  /** how long to wait when there is no work and nobody called wake(); default 5 s */
  readonly idlePollMs?: number;
}

export const progressView = (job: FanoutJob): FanoutProgressView => ({
  roomId: job.roomId,
  kind: job.kind,
  phase: job.phase,
  notified: job.notified,
  total: Math.max(job.total, job.notified),
  done: job.phase === 'done',
});

const ERROR_BACKOFF_MS = 1_000;

export class FanoutWorker {
  readonly #d: FanoutWorkerDeps;
  #running: Promise<void> | null = null;
  readonly #doze = new Doze();

  constructor(deps: FanoutWorkerDeps) {
    this.#d = deps;
  }

  /** makes (or finds) the job for this room and kind, and wakes the loop */
  async startJob(roomId: RoomId, kind: FanoutKind, hostId: UserId): Promise<FanoutJob> {
    const job = await this.#d.store.notify.createFanoutJob({ roomId, kind, hostId, at: this.#d.now() });
    this.#d.channels.send(hostId, { type: 'fanout', progress: progressView(job) });
    this.wake();
    return job;
  }

  async progress(roomId: RoomId, kind: FanoutKind): Promise<FanoutProgressView | null> {
    const job = await this.#d.store.notify.getFanoutJob(roomId, kind);
    return job === null ? null : progressView(job);
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  wake(): void {
    this.#doze.wake();
  }

  /** idempotent; resolves when the batch in flight (if any) has committed */
  async stop(): Promise<void> {
    this.#doze.stop();
    await this.#running;
  }

  /** every open job to the end, without pacing: for tests and tools */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      const jobs = await this.#d.store.notify.openFanoutJobs();
      if (jobs.length === 0) return;
      for (const job of jobs) await this.#batch(job, this.#d.pacer.batchSize());
    }
  }

  async #loop(): Promise<void> {
    while (!this.#doze.stopped) {
      try {
        const jobs = await this.#d.store.notify.openFanoutJobs();
        if (jobs.length === 0) {
          await this.#doze.for(this.#d.idlePollMs ?? 5_000);
          continue;
        }
        // one batch of each open job in turn: a huge fan-out never starves a small one
        for (const job of jobs) {
          if (this.#doze.stopped) return;
          const started = this.#d.now();
          const batch = await this.#batch(job, this.#d.pacer.batchSize());
          const wait = this.#d.pacer.delayAfterMs(batch.delivered.length, this.#d.now() - started);
          if (wait > 0) await this.#doze.for(wait);
        }
      } catch (err) {
        this.#d.onError(err);
        await this.#doze.for(ERROR_BACKOFF_MS);
      }
    }
  }

  async #batch(job: FanoutJob, size: number): Promise<FanoutBatch> {
    const batch = await this.#d.store.notify.runFanoutBatch(job.id, size, this.#d.now());
    this.#d.onProgress?.(batch.job, batch.delivered.length);
    this.#d.channels.send(batch.job.hostId, { type: 'fanout', progress: progressView(batch.job) });
    try {
      await this.#d.notifications.pushIds(batch.delivered);
    } catch (err) {
      // the notifications are written; a failed live push only delays them until the next list read
      this.#d.onError(err);
    }
    return batch;
  }

}
