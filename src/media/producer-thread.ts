/**
 * @module producer-thread — the program producer in a worker thread of its own, behind the same
 * `ProgramProducer` interface as `StageRooms`. The main thread keeps each room's last spec, so a worker
 * that dies is restarted with every room re-applied (speakers re-offer as after any dropped peer; the
 * program's seqs continue from the room's clock). Frames arrive as messages: when the main thread is
 * busy they wait in the port and are delivered late, never dropped. Commands keep their order, so a
 * gate change is applied before any packet the worker takes after it. It must never run media work on
 * the main thread.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ProducerRejection, type ProducerEvents, type ProducerOptions, type ProducerRoomSpec, type ProducerStats, type ProgramProducer } from './producer.ts';
import type { ProducerCommand, ProducerEvent, ProducerWorkerData } from './producer-messages.ts';
import type { IceCandidateInit } from './stage-peer.ts';

interface Pending {
  resolve(value: string | null): void;
  reject(err: ProducerRejection): void;
}

/**
 * The worker runs TypeScript like the rest of Amphi: tsx's loader is registered inside the new thread
 * (hooks registered on the main thread do not reach it) before the worker module is imported. The
 * boot module is a data: URL, so both imports are absolute file URLs.
 */
function bootUrl(): URL {
  const tsxCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsxApi = pathToFileURL(tsxCjs.replace(/index\.cjs$/, 'index.mjs')).href;
  const entry = new URL('./producer-worker.ts', import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** a worker that keeps dying is restarted ever more slowly, up to this, so a broken build cannot spin a core */
const MAX_RESTART_DELAY_MS = 5000;

export class ThreadProducer implements ProgramProducer {
  readonly #options: ProducerOptions;
  readonly #on: ProducerEvents;
  readonly #specs = new Map<string, ProducerRoomSpec>();
  readonly #pending = new Map<number, Pending>();
  #worker: Worker;
  #nextId = 1;
  #framesEmitted = 0;
  #skipped = 0;
  #failuresInARow = 0;
  #markReady: () => void = () => undefined;
  /** resolves when the first worker has loaded and takes commands */
  readonly ready: Promise<void>;
  #closing: Promise<void> | null = null;

  constructor(options: ProducerOptions, events: ProducerEvents) {
    this.#options = options;
    this.#on = events;
    this.ready = new Promise<void>((resolve) => {
      this.#markReady = resolve;
    });
    this.#worker = this.#spawn();
  }

  update(roomId: string, spec: ProducerRoomSpec): void {
    this.#specs.set(roomId, spec);
    this.#send({ op: 'update', roomId, spec });
  }

  close(roomId: string): void {
    this.#specs.delete(roomId);
    this.#send({ op: 'close', roomId });
  }

  async publish(roomId: string, memberId: string, sdp: string): Promise<string> {
    const value = await this.#request((id) => ({ op: 'publish', id, roomId, memberId, sdp }));
    return value ?? '';
  }

  async candidate(roomId: string, memberId: string, candidate: IceCandidateInit | null): Promise<void> {
    await this.#request((id) => ({ op: 'candidate', id, roomId, memberId, candidate: candidate === null ? null : { ...candidate } }));
  }

  unpublish(roomId: string, memberId: string): void {
    this.#send({ op: 'unpublish', roomId, memberId });
  }

  stats(): ProducerStats {
    return { rooms: this.#specs.size, framesEmitted: this.#framesEmitted, skippedTicks: this.#skipped };
  }

  shutdown(): Promise<void> {
    this.#closing ??= (async () => {
      const worker = this.#worker;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const stopped = this.#request((id) => ({ op: 'shutdown', id }), true).catch(() => null);
      // a worker that does not stop in time is terminated: shutdown must not hang on a stuck peer
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
      await Promise.race([stopped.then(() => exited), timeout]);
      await worker.terminate();
    })();
    return this.#closing;
  }

  #spawn(): Worker {
    const data: ProducerWorkerData = { options: this.#options };
    const worker = new Worker(bootUrl(), { workerData: data, name: 'amphi-program' });
    worker.on('message', (e: ProducerEvent) => this.#onEvent(e));
    worker.on('error', (err) => this.#on.error({ name: err.name, message: `program worker failed: ${err.message}` }, null));
    worker.on('exit', (code) => this.#onExit(worker, code));
    return worker;
  }

  #onExit(worker: Worker, code: number): void {
    if (worker !== this.#worker) return;
    for (const p of this.#pending.values()) p.reject(new ProducerRejection('stopped', 'The media plane restarted: offer again.'));
    this.#pending.clear();
    if (this.#closing !== null) return;
    const delay = Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** this.#failuresInARow);
    this.#failuresInARow++;
    this.#on.error({ name: 'ProducerExit', message: `program worker exited with code ${code}; restarting it in ${delay} ms with ${this.#specs.size} room(s)` }, null);
    const timer = setTimeout(() => {
      if (this.#closing !== null) return;
      this.#worker = this.#spawn();
      for (const [roomId, spec] of this.#specs) this.#send({ op: 'update', roomId, spec });
    }, delay);
    timer.unref();
  }

  #onEvent(e: ProducerEvent): void {
    switch (e.ev) {
      case 'frame':
        this.#framesEmitted++;
        return this.#on.frame(e.frame);
      case 'signal':
        return this.#on.signal(e.roomId, e.memberId, e.signal);
      case 'levels':
        return this.#on.levels(e.roomId, e.levels);
      case 'skipped':
        this.#skipped += e.ticks;
        return this.#on.skipped(e.roomId, e.ticks);
      case 'error':
        return this.#on.error(e.failure, e.roomId);
      case 'reply': {
        const p = this.#pending.get(e.id);
        if (p === undefined) return;
        this.#pending.delete(e.id);
        if (e.ok) p.resolve(e.value);
        else p.reject(new ProducerRejection(e.reason, e.message));
        return;
      }
      case 'ready':
        this.#failuresInARow = 0;
        this.#markReady();
        return;
    }
  }

  #send(cmd: ProducerCommand): void {
    this.#worker.postMessage(cmd);
  }

  #request(make: (id: number) => ProducerCommand, whileClosing = false): Promise<string | null> {
    if (this.#closing !== null && !whileClosing) return Promise.reject(new ProducerRejection('stopped', 'The media plane is shutting down.'));
    const id = this.#nextId++;
    return new Promise<string | null>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#send(make(id));
    });
  }
}
