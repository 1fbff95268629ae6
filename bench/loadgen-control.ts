/**
 * @module bench/loadgen-control — the bench's handle on the load generator process: starts
 * bench/loadgen.ts pinned to the generator core, sends commands over IPC and resolves each with its
 * answer (typed per command), passes progress to a callback, and stops the process. A command that
 * gets no answer in time rejects, so the bench never hangs on a stuck generator.
 */
import { spawnPinned, type PinnedChild } from './pinned-child.ts';
import type {
  GroupReport,
  IcecastTarget,
  IcecastWindowReport,
  LoadgenAnswer,
  LoadgenCommand,
  OpenReport,
  RejoinReport,
  RejoinSpec,
  StormReport,
  StormSpec,
  WindowReport,
} from './loadgen-protocol.ts';
import type { RawWsTarget } from './raw-ws-client.ts';

type Omit2<T> = T extends unknown ? Omit<T, 'id'> : never;
type Command = Omit2<LoadgenCommand>;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  progress?: (done: number, total: number) => void;
}

export class Loadgen {
  readonly #proc: PinnedChild;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  readonly pid: number;

  private constructor(proc: PinnedChild) {
    this.#proc = proc;
    this.pid = proc.pid;
    proc.child.on('message', (m: LoadgenAnswer) => this.#onAnswer(m));
    void proc.exited.then((code) => {
      for (const p of this.#pending.values()) p.reject(new Error(`the load generator exited (${code}) during a command`));
      this.#pending.clear();
    });
  }

  static async start(repo: string, core: number | null): Promise<Loadgen> {
    const proc = spawnPinned(core, ['bench/loadgen.ts'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the load generator did not start within 60 s')), 60_000);
      proc.child.on('message', function ready(m: LoadgenAnswer) {
        if ('ready' in m) {
          clearTimeout(timer);
          proc.child.off('message', ready);
          resolve();
        }
      });
      void proc.exited.then((code) => reject(new Error(`the load generator exited (${code}) at start`)));
    }).catch(async (err: unknown) => {
      await proc.stop();
      throw err;
    });
    return new Loadgen(proc);
  }

  open(target: RawWsTarget, count: number, concurrency: number, progress?: (done: number, total: number) => void): Promise<OpenReport> {
    return this.#ask({ cmd: 'open', target, count, concurrency }, 30_000 + count * 20, progress) as Promise<OpenReport>;
  }

  windowStart(): Promise<void> {
    return this.#ask({ cmd: 'windowStart' }, 30_000).then(() => undefined);
  }

  windowEnd(): Promise<WindowReport> {
    return this.#ask({ cmd: 'windowEnd' }, 30_000) as Promise<WindowReport>;
  }

  /** stops reading `share` of the base listeners; resolves with how many */
  pause(share: number): Promise<number> {
    return this.#ask({ cmd: 'pause', share }, 30_000) as Promise<number>;
  }

  resumeSlow(readMs: number): Promise<GroupReport> {
    return this.#ask({ cmd: 'resumeSlow', readMs }, 30_000 + readMs) as Promise<GroupReport>;
  }

  storm(spec: StormSpec): Promise<StormReport> {
    return this.#ask({ cmd: 'storm', spec }, 60_000 + spec.durationMs + spec.timeoutMs * 2) as Promise<StormReport>;
  }

  closeAll(): Promise<number> {
    return this.#ask({ cmd: 'closeAll' }, 60_000) as Promise<number>;
  }

  /** closes every Icecast listener and starts a run whose feeder started at `feederStartWallMs` (wall clock) */
  icecastReset(feederStartWallMs: number, stallMs: number): Promise<void> {
    return this.#ask({ cmd: 'icecastReset', feederStartWallMs, stallMs }, 60_000).then(() => undefined);
  }

  /** opens `count` Icecast HTTP listeners; the first after a reset is the reference that fixes t0 */
  icecastOpen(target: IcecastTarget, count: number, concurrency: number, progress?: (done: number, total: number) => void): Promise<OpenReport> {
    // Each connect may wait up to 60 s for icecast2 (see IcecastPool.open): allow for waves of those.
    return this.#ask({ cmd: 'icecastOpen', target, count, concurrency }, 120_000 + count * 50, progress) as Promise<OpenReport>;
  }

  /** ends the window `windowStart` opened, for the Icecast listeners */
  icecastWindowEnd(): Promise<IcecastWindowReport> {
    return this.#ask({ cmd: 'icecastWindowEnd' }, 30_000) as Promise<IcecastWindowReport>;
  }

  /** from now on, listeners lost from `spec.fromPort` come back on `spec.fallback` */
  rejoinArm(spec: RejoinSpec): Promise<void> {
    return this.#ask({ cmd: 'rejoinArm', spec }, 30_000).then(() => undefined);
  }

  rejoinReport(): Promise<RejoinReport> {
    return this.#ask({ cmd: 'rejoinReport' }, 30_000) as Promise<RejoinReport>;
  }

  /** stops rejoining; the final report */
  rejoinDisarm(): Promise<RejoinReport> {
    return this.#ask({ cmd: 'rejoinDisarm' }, 30_000) as Promise<RejoinReport>;
  }

  async stop(): Promise<void> {
    await this.#proc.stop();
  }

  #ask(cmd: Command, timeoutMs: number, progress?: (done: number, total: number) => void): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`the load generator did not answer '${cmd.cmd}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        ...(progress && { progress }),
      });
      this.#proc.child.send({ ...cmd, id });
    });
  }

  #onAnswer(m: LoadgenAnswer): void {
    if ('ready' in m) return;
    if ('progress' in m) {
      this.#pending.get(m.progress)?.progress?.(m.done, m.total);
      return;
    }
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`load generator: ${m.error}`));
  }
}
