/**
 * @module bench/server-process — the Amphi server under test, in its own process: `node --import tsx
 * src/main.ts` pinned to the server core, port 0 on 127.0.0.1, a fresh data directory (SQLite) that is
 * deleted afterwards. Waits for the "listening" log line to learn the URL, keeps the last log lines for
 * error reports, and scrapes /metrics for the event-loop delay. It never talks to another host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROCESS_LAG_SAMPLE_MS } from '../src/control/metrics.ts';
import { spawnPinned, type PinnedChild } from './pinned-child.ts';

export interface ServerOptions {
  readonly repo: string;
  readonly core: number | null;
  readonly batchMs: number;
  readonly env?: Record<string, string>;
  readonly startTimeoutMs?: number;
}

export interface AmphiProcess {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  logTail(): string[];
  stop(): Promise<void>;
  /** SIGKILL, as a crash (the data directory stays until stop) */
  kill(): Promise<void>;
}

/** how late the event loop ran timers, beyond their sampling interval (PROCESS_LAG_SAMPLE_MS) */
export interface EventLoopLag {
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

const TAIL = 40;

export async function startAmphiProcess(o: ServerOptions): Promise<AmphiProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphi-bench-'));
  // BENCH_SERVER_CPU_PROF=DIR: a V8 CPU profile of the server, written to DIR when it stops
  const profDir = process.env['BENCH_SERVER_CPU_PROF'];
  const profile = profDir === undefined || profDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
  const proc: PinnedChild = spawnPinned(o.core, [...profile, 'src/main.ts'], {
    cwd: o.repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      AMPHI_PORT: '0',
      AMPHI_HOST: '127.0.0.1',
      AMPHI_DATA_DIR: dataDir,
      AMPHI_DATABASE_URL: '',
      AMPHI_BATCH_MS: String(o.batchMs),
      AMPHI_LOG_LEVEL: 'info',
      ...o.env,
    },
  });
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL) tail.shift();
  };
  const stop = async (): Promise<void> => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const { stdout, stderr } = proc.child;
  if (stdout === null || stderr === null) throw new Error('server started without pipes');
  createInterface({ input: stderr }).on('line', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${o.startTimeoutMs ?? 60_000} ms`)), o.startTimeoutMs ?? 60_000);
    createInterface({ input: stdout }).on('line', (line) => {
      keep(line);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(line);
      if (m?.[1] !== undefined && line.includes('listening')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${tail.join('\n')}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { pid: proc.pid, url, port: Number(new URL(url).port), dataDir, logTail: () => [...tail], stop, kill: () => proc.kill() };
}

/** reads a gauge's value from Prometheus text, or null */
export function gauge(text: string, name: string): number | null {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$`, 'm').exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** what a window's end reads from one scrape of /metrics; null where the server did not answer or did not say */
export interface WindowGauges {
  readonly eventLoop: EventLoopLag | null;
  /**
   * the V8 heap's free space (allocated but unused), KiB: RSS minus this is what the server holds for
   * real, without the heap headroom V8 keeps and gives back at its own pace
   */
  readonly heapFreeKiB: number | null;
  /** the batch length the node was sending (it grows with the listeners: AMPHI_BUSY_*, AMPHI_PEAK_*) */
  readonly batchMs: number | null;
  /** running totals: program frames produced, and 20 ms ticks the rooms' clocks dropped */
  readonly programFrames: number | null;
  readonly skippedTicks: number | null;
  /** share of wall time the node spent writing batches over the last second */
  readonly deliveryDuty: number | null;
}

export async function scrapeWindowGauges(url: string): Promise<WindowGauges> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    const total = gauge(text, 'amphi_process_nodejs_heap_size_total_bytes');
    const used = gauge(text, 'amphi_process_nodejs_heap_size_used_bytes');
    return {
      eventLoop: lagOf(text),
      heapFreeKiB: total === null || used === null ? null : (total - used) / 1024,
      batchMs: gauge(text, 'amphi_audio_batch_ms'),
      programFrames: gauge(text, 'amphi_program_frames_total'),
      skippedTicks: gauge(text, 'amphi_program_skipped_ticks_total'),
      deliveryDuty: gauge(text, 'amphi_delivery_duty'),
    };
  } catch {
    // as for the loop lag: a server too busy to answer leaves the figures unknown
    return { eventLoop: null, heapFreeKiB: null, batchMs: null, programFrames: null, skippedTicks: null, deliveryDuty: null };
  }
}

/**
 * The server's event-loop delay since the previous scrape (prom-client resets its histogram on every
 * scrape, so scrape once at a window's start and once at its end).
 */
export async function scrapeEventLoopLag(url: string): Promise<EventLoopLag | null> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    return lagOf(await res.text());
  } catch {
    // A server too busy to answer within 10 s is itself the finding; the window reports lag as unknown.
    return null;
  }
}

/** prom-client's loop delay in a /metrics text, less its sampling interval */
function lagOf(text: string): EventLoopLag | null {
  const p99 = gauge(text, 'amphi_process_nodejs_eventloop_lag_p99_seconds');
  const max = gauge(text, 'amphi_process_nodejs_eventloop_lag_max_seconds');
  const mean = gauge(text, 'amphi_process_nodejs_eventloop_lag_mean_seconds');
  if (p99 === null || max === null || mean === null) return null;
  const beyond = (s: number): number => Math.max(0, s * 1000 - PROCESS_LAG_SAMPLE_MS);
  return { p99Ms: beyond(p99), maxMs: beyond(max), meanMs: beyond(mean) };
}
