/**
 * @module bench/janus-listeners — the `janus` scenario's handle on its WebRTC listener generator:
 * starts bench/janus-loadgen.ts pinned to the generator core, sends it commands over IPC and resolves
 * each with its typed answer, passes opening progress to a callback, and stops the process. A command
 * that gets no answer in time rejects, so the bench never hangs on a stuck generator.
 */
import { JanusBenchError } from './janus-error.ts';
import type { JanusPeerKind } from './janus-listener-peer.ts';
import type { JanusCommand, JanusOpenReport, JanusWindowReport } from './janus-protocol.ts';
import type { LoadgenAnswer } from './loadgen-protocol.ts';
import { spawnPinned, type PinnedChild } from './pinned-child.ts';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  progress?: (done: number, total: number) => void;
}

export interface OpenSpec {
  readonly base: string;
  readonly mountpointId: number;
  readonly peer: JanusPeerKind;
  readonly count: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

export class JanusListeners {
  readonly #proc: PinnedChild;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  readonly pid: number;

  private constructor(proc: PinnedChild) {
    this.#proc = proc;
    this.pid = proc.pid;
    proc.child.on('message', (m: LoadgenAnswer) => this.#onAnswer(m));
    // A send on a channel that closed under it (the generator died) is reported here, not thrown.
    proc.child.on('error', () => undefined);
    void proc.exited.then((code) => {
      for (const p of this.#pending.values()) p.reject(new JanusBenchError('generator_failed', `the listener generator exited (${code}) during a command`));
      this.#pending.clear();
    });
  }

  static async start(repo: string, core: number | null): Promise<JanusListeners> {
    const proc = spawnPinned(core, ['bench/janus-loadgen.ts'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new JanusBenchError('generator_failed', 'the listener generator did not start within 60 s')), 60_000);
      proc.child.on('message', function ready(m: LoadgenAnswer) {
        if ('ready' in m) {
          clearTimeout(timer);
          proc.child.off('message', ready);
          resolve();
        }
      });
      void proc.exited.then((code) => reject(new JanusBenchError('generator_failed', `the listener generator exited (${code}) at start`)));
    }).catch(async (err: unknown) => {
      await proc.stop();
      throw err;
    });
    return new JanusListeners(proc);
  }

  /** opens `count` more listeners; the timeout allows every peer its own `timeoutMs`, a few at a time */
  open(spec: OpenSpec, progress?: (done: number, total: number) => void): Promise<JanusOpenReport> {
    const rounds = Math.ceil(spec.count / Math.max(1, spec.concurrency));
    return this.#ask({ cmd: 'open', ...spec }, 30_000 + rounds * spec.timeoutMs, progress) as Promise<JanusOpenReport>;
  }

  /** samples every listener's stats; resolves with how many were sampled */
  windowStart(): Promise<number> {
    return this.#ask({ cmd: 'windowStart' }, 60_000) as Promise<number>;
  }

  windowEnd(): Promise<JanusWindowReport> {
    return this.#ask({ cmd: 'windowEnd' }, 60_000) as Promise<JanusWindowReport>;
  }

  closeAll(): Promise<number> {
    return this.#ask({ cmd: 'closeAll' }, 60_000) as Promise<number>;
  }

  async stop(): Promise<void> {
    await this.#proc.stop();
  }

  #ask(cmd: WithoutId<JanusCommand>, timeoutMs: number, progress?: (done: number, total: number) => void): Promise<unknown> {
    const id = this.#nextId++;
    if (!this.#proc.child.connected) return Promise.reject(new JanusBenchError('generator_failed', `the listener generator is gone; '${cmd.cmd}' not sent`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new JanusBenchError('generator_failed', `the listener generator did not answer '${cmd.cmd}' within ${timeoutMs} ms`));
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
    else p.reject(new JanusBenchError('generator_failed', `listener generator: ${m.error}`));
  }
}
