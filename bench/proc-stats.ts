/**
 * @module bench/proc-stats — what Linux says about a process and the machine: CPU time split into user
 * and system (from /proc/PID/stat, all threads), resident memory (/proc/PID/status VmRSS), and the
 * machine's cores, CPU model and RAM for the report. Reads only; Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface CpuTimes {
  readonly userMs: number;
  readonly sysMs: number;
  /** performance.now() when read */
  readonly at: number;
}

export interface CpuUse {
  readonly userMs: number;
  readonly sysMs: number;
  readonly wallMs: number;
  /** cores busy on average: (user + sys) / wall */
  readonly cores: number;
  /** user / (user + sys) */
  readonly userShare: number;
}

export interface Machine {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly ramGiB: number;
  readonly kernel: string;
  readonly node: string;
}

let clockTicks: number | null = null;
/** USER_HZ, the unit of utime/stime in /proc/PID/stat (100 on every Linux we know, but ask) */
function ticksPerSecond(): number {
  if (clockTicks === null) {
    const out = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    clockTicks = Number.isFinite(out) && out > 0 ? out : 100;
  }
  return clockTicks;
}

export function cpuTimes(pid: number): CpuTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const hz = ticksPerSecond();
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return { userMs: (Number(fields[11]) * 1000) / hz, sysMs: (Number(fields[12]) * 1000) / hz, at: performance.now() };
}

export function cpuBetween(a: CpuTimes, b: CpuTimes): CpuUse {
  const userMs = b.userMs - a.userMs;
  const sysMs = b.sysMs - a.sysMs;
  const wallMs = Math.max(1, b.at - a.at);
  const total = userMs + sysMs;
  return { userMs, sysMs, wallMs, cores: total / wallMs, userShare: total > 0 ? userMs / total : 0 };
}

export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

export function machine(): Machine {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return {
    nproc: cpus().length,
    cpuModel: model?.[1]?.trim() ?? 'unknown',
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    node: process.version,
  };
}

/** the open-files limit a child started through `ulimit -n` will really get (the hard limit caps it) */
export function fileLimit(): number {
  const out = execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? 1_048_576 : Number(out);
}

/**
 * Connections the kernel refused because a listening socket's accept queue was full (TcpExt
 * ListenOverflows in /proc/net/netstat). Machine-wide: on a shared machine others add to it too. A
 * refused SYN is retried by the client after 1 s, then 3 s, … which shows as slow joins.
 */
export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]?.split(' ') ?? [];
    const values = lines[i + 1]?.split(' ') ?? [];
    if (names[0] !== 'TcpExt:') continue;
    const k = names.indexOf('ListenOverflows');
    return k < 0 ? 0 : Number(values[k]);
  }
  return 0;
}

/**
 * Time the process's threads spent runnable but waiting for a CPU (run_delay in
 * /proc/PID/task/TID/schedstat, summed), in ms. When a pinned process waits a lot, something else
 * holds its core: the machine, not the code, limited that window. Threads that end meanwhile drop out
 * of the sum, so deltas are a lower bound.
 */
export function runQueueWaitMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1] ?? 0);
    } catch {
      // The thread ended between the listing and the read: it no longer waits for anything.
      continue;
    }
  }
  return ns / 1e6;
}
