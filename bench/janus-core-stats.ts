/**
 * @module bench/janus-core-stats — how busy one CPU core was, from /proc/stat, so the `janus` scenario
 * can tell how much of the core Janus is pinned to went to other processes (a busy shared machine)
 * and how much the hypervisor took (steal). Janus runs a thread per WebRTC handle, so its threads'
 * run-queue waits (bench/proc-stats.ts runQueueWaitMs) mostly measure Janus waiting for itself; the
 * core's own counters do not. Reads only; Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CoreTimes {
  /** time the core ran anything (user, nice, system, irq, softirq), ms */
  readonly busyMs: number;
  /** time the hypervisor ran something else on this virtual core, ms */
  readonly stealMs: number;
  /** performance.now() when read */
  readonly at: number;
}

export interface CoreShare {
  /** share of the window the core ran processes other than the one measured */
  readonly othersShare: number;
  readonly stealShare: number;
}

let hz: number | null = null;
function ticksPerSecond(): number {
  if (hz === null) {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    hz = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return hz;
}

/** the `cpuN` line of /proc/stat as times (pure: takes the file's text) */
export function parseCoreLine(procStat: string, core: number, ticks: number): Omit<CoreTimes, 'at'> | null {
  const line = procStat.split('\n').find((l) => l.startsWith(`cpu${core} `));
  if (line === undefined) return null;
  // cpuN user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const at = (i: number): number => f[i] ?? 0;
  const ms = (t: number): number => (t * 1000) / ticks;
  return { busyMs: ms(at(0) + at(1) + at(2) + at(5) + at(6)), stealMs: ms(at(7)) };
}

export function coreTimes(core: number): CoreTimes | null {
  const t = parseCoreLine(readFileSync('/proc/stat', 'utf8'), core, ticksPerSecond());
  return t === null ? null : { ...t, at: performance.now() };
}

/**
 * Between two readings: what the core did beyond `processCpuMs` (the pinned process's own user +
 * system time in the same window). Clock ticks are coarse (10 ms), so small shares are noise.
 */
export function coreShareBetween(a: CoreTimes | null, b: CoreTimes | null, processCpuMs: number): CoreShare {
  if (a === null || b === null) return { othersShare: 0, stealShare: 0 };
  const wall = Math.max(1, b.at - a.at);
  return {
    othersShare: Math.max(0, b.busyMs - a.busyMs - processCpuMs) / wall,
    stealShare: Math.max(0, b.stealMs - a.stealMs) / wall,
  };
}
