/**
 * @module bench/pinned-child — starts a Node program (or another one: icecast2, ffmpeg) for the bench
 * on one CPU core (taskset) with the open-files limit raised as far as the machine allows (20k sockets
 * need 20k descriptors on each side), and stops it for sure: SIGTERM, then SIGKILL after a grace period. The child is exec'd, so its
 * pid is the one /proc reports on. Never leaves a child behind when the bench exits.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/** asked for; the hard limit (often lower) caps what the child really gets */
export const WANTED_OPEN_FILES = 200_000;

export interface PinnedChild {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash: no shutdown code runs (failover benches) */
  kill(): Promise<void>;
}

const running = new Set<PinnedChild>();

/**
 * Runs `node --import tsx <args>` pinned to `core` (null: no pinning) in `cwd`, with `env` added to the
 * bench's environment.
 */
export function spawnPinned(core: number | null, args: readonly string[], opts: { cwd: string; env?: Record<string, string>; stdio: StdioOptions }): PinnedChild {
  return spawnPinnedProgram(core, process.execPath, ['--import', 'tsx', ...args], opts);
}

/**
 * Runs any program (icecast2, ffmpeg, …) the same way: pinned, with the open-files limit raised, exec'd
 * (its pid is the program's), and stopped with the others on the way out.
 */
export function spawnPinnedProgram(
  core: number | null,
  program: string,
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string>; stdio: StdioOptions },
): PinnedChild {
  const script =
    `ulimit -n ${WANTED_OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; ` +
    (core === null ? 'exec "$@"' : `exec taskset -c ${core} "$@"`);
  const child = spawn('bash', ['-c', script, 'bench-child', program, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: opts.stdio,
  });
  if (child.pid === undefined) throw new Error(`could not start ${program} ${args.join(' ')}`);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  const handle: PinnedChild = {
    child,
    pid: child.pid,
    exited,
    stop: async (graceMs = 5000) => {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** last resort on the way out (an error or Ctrl-C): kill every child still running */
export function killAllChildren(): void {
  for (const c of running) {
    if (c.child.exitCode === null) c.child.kill('SIGKILL');
  }
  running.clear();
}
