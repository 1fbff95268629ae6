/**
 * @module bench/bench-context — what every Amphi scenario runs against: a fresh server process on the
 * server core, a live room with a synthetic speaker, and the load generator on the other core; plus
 * the one way to measure a window (server CPU and RSS from /proc, event-loop delay from /metrics,
 * listeners from the generator, all over the same interval). `withAmphi` tears everything down,
 * also when the scenario throws.
 */
import { LISTEN_TICKET_MS } from '../src/control/room-service.ts';
import { cpuBetween, cpuTimes, rssKiB, runQueueWaitMs, type CpuTimes } from './proc-stats.ts';
import { Loadgen } from './loadgen-control.ts';
import { openLiveRoom, type LiveRoom } from './live-room.ts';
import { note, timedBar } from './progress.ts';
import type { ProcessUse, RunInfo, StormJoinPath, Window } from './results.ts';
import { scrapeWindowGauges, startAmphiProcess, type AmphiProcess } from './server-process.ts';
import { targetOfUrl, type RawWsTarget } from './raw-ws-client.ts';

/**
 * a listen token is reused for at most half its life: a socket opened with an expired one is closed
 * 4001, and a ramp of many steps outlasts one token (it did: 2,500 of 15,000 refused a minute in)
 */
export const TOKEN_REUSE_MS = LISTEN_TICKET_MS / 2;

export interface BenchOptions {
  readonly repo: string;
  readonly outDir: string;
  readonly steps: readonly number[];
  /** steady window per measurement, ms */
  readonly windowMs: number;
  /** pause after a ramp before measuring, ms */
  readonly settleMs: number;
  readonly batchMs: number;
  readonly serverCore: number | null;
  readonly loadgenCore: number | null;
  readonly p99BudgetMs: number;
  /** handshakes in flight while ramping */
  readonly concurrency: number;
  readonly stormRate: number;
  readonly stormMs: number;
  readonly stormBase: number;
  /** storm: runs, each on a fresh server; the report shows the median run and lists them all */
  readonly stormRepeat: number;
  /** janus: WebRTC listener counts to ramp through */
  readonly janusSteps: readonly number[];
  /** janus: the listeners' implementation (bench/janus-listener-peer.ts; default light) */
  readonly janusPeer?: 'light' | 'wrtc';
  /** where storm joins ask for tickets: the listener port (signed-out fast path) or the API */
  readonly stormTickets: StormJoinPath;
  /** joiners stay after their first audio (the audience grows) instead of leaving at once */
  readonly stormStay: boolean;
  readonly joinTimeoutMs: number;
  readonly slowListeners: number;
  readonly slowShare: number;
  readonly slowMs: number;
  /** hands: accounts that raise a hand, and how many start per second */
  readonly hands: number;
  readonly handRate: number;
  readonly openFiles: number;
  /** cluster: edge processes (at least two: one is killed) */
  readonly clusterEdges: number;
  /** cluster: listeners on each edge through the failovers */
  readonly failoverListeners: number;
  /** cluster: run Icecast2 at the edge's write rate after the cluster, for the same-run comparison */
  readonly clusterIcecast: boolean;
  /** AMPHI_* settings given to the server beyond the batch length */
  readonly serverEnv: Readonly<Record<string, string>>;
  readonly run: Omit<RunInfo, 'batchMs' | 'serverCore' | 'loadgenCore' | 'serverEnv'>;
}

export interface AmphiBench {
  readonly opts: BenchOptions;
  readonly server: AmphiProcess;
  readonly loadgen: Loadgen;
  readonly room: LiveRoom;
  /** where listener sockets connect, with a fresh ticket */
  target(): Promise<RawWsTarget>;
  measure(label: string, ms: number): Promise<Window>;
  runInfo(): RunInfo;
}

const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

/** starts server, room and generator, runs `body`, and stops all three whatever happens */
export async function withAmphi<T>(opts: BenchOptions, body: (b: AmphiBench) => Promise<T>): Promise<T> {
  note(`starting Amphi (batch ${opts.batchMs} ms) on core ${opts.serverCore ?? 'any'}`);
  const server = await startAmphiProcess({ repo: opts.repo, core: opts.serverCore, batchMs: opts.batchMs, env: { ...opts.serverEnv } });
  let loadgen: Loadgen | null = null;
  let room: LiveRoom | null = null;
  try {
    room = await openLiveRoom(server.url);
    loadgen = await Loadgen.start(opts.repo, opts.loadgenCore);
    note(`server pid ${server.pid} at ${server.url}, room ${room.roomId} live, generator pid ${loadgen.pid} on core ${opts.loadgenCore ?? 'any'}`);
    const b = bench(opts, server, loadgen, room);
    return await body(b);
  } catch (err) {
    note(`server log tail:\n${server.logTail().slice(-10).join('\n')}`);
    throw err;
  } finally {
    if (loadgen !== null) await loadgen.stop();
    room?.close();
    await server.stop();
  }
}

function bench(opts: BenchOptions, server: AmphiProcess, loadgen: Loadgen, room: LiveRoom): AmphiBench {
  const host = '127.0.0.1';
  let token: { url: string; at: number } | null = null;
  return {
    opts,
    server,
    loadgen,
    room,
    // One admitted token serves every socket of a step (within TOKEN_REUSE_MS): fan-out measures
    // delivery, and the node's line (for joins) must not decide how many listeners a step gets.
    target: async () => {
      if (token === null || Date.now() - token.at > TOKEN_REUSE_MS) token = { url: await room.socketUrl(), at: Date.now() };
      return targetOfUrl(token.url);
    },
    measure: async (label, ms) => (await measureWindow({ server, loadgen, label, ms })).window,
    runInfo: () => ({ ...opts.run, batchMs: opts.batchMs, serverCore: opts.serverCore, loadgenCore: opts.loadgenCore, serverEnv: opts.serverEnv }),
  };
}

/** a process measured over a window: its pid and, for a node, the URL its /metrics answer at */
export interface Measured {
  readonly pid: number;
  readonly url: string;
}

export interface WindowSpec {
  /** the node listeners are on: its CPU, RSS, loop delay, batch length and delivery duty */
  readonly server: Measured;
  readonly loadgen: Loadgen;
  readonly label: string;
  readonly ms: number;
  /** the node whose clock produces the program (skipped ticks, frames made): the server itself on one node, the origin in a cluster */
  readonly program?: Measured;
  /** other processes whose CPU is taken over the same interval (a cluster's origin, nats-server, other edges) */
  readonly others?: readonly number[];
}

/** CPU and run-queue wait of one process from two reads around a window, and its RSS at the end */
function useBetween(pid: number, a: { cpu: CpuTimes; waitMs: number }): ProcessUse {
  const b = cpuTimes(pid);
  return { cpu: cpuBetween(a.cpu, b), runQueueShare: (runQueueWaitMs(pid) - a.waitMs) / Math.max(1, b.at - a.cpu.at), rssKiB: rssKiB(pid) };
}

const startOf = (pid: number): { cpu: CpuTimes; waitMs: number } => ({ cpu: cpuTimes(pid), waitMs: runQueueWaitMs(pid) });

/**
 * One measured window, the one way every Amphi scenario measures: server CPU and RSS from /proc,
 * loop delay, batch length and the program's running totals from /metrics at the start and the end
 * (prom-client resets its loop histogram at each scrape), listeners from the generator, all over the
 * same interval; `others` are read over that interval too.
 */
export async function measureWindow(w: WindowSpec): Promise<{ readonly window: Window; readonly others: readonly ProcessUse[] }> {
  const { server, loadgen } = w;
  const program = w.program ?? server;
  const sameNode = program.url === server.url;
  // one scrape at the start: it resets the loop-delay histogram and reads the program's running totals
  const [start, programStart] = await Promise.all([scrapeWindowGauges(server.url), sameNode ? null : scrapeWindowGauges(program.url)]);
  const s0 = startOf(server.pid);
  const l0 = startOf(loadgen.pid);
  const o0 = (w.others ?? []).map(startOf);
  await loadgen.windowStart();
  await timedBar(w.label, w.ms);
  const lg = await loadgen.windowEnd();
  const srv = useBetween(server.pid, s0);
  const gen = useBetween(loadgen.pid, l0);
  const others = (w.others ?? []).map((pid, i) => useBetween(pid, o0[i] ?? startOf(pid)));
  // the window's end: loop delay, heap reserve and batch length from one scrape of /metrics
  const [gauges, programEnd] = await Promise.all([scrapeWindowGauges(server.url), sameNode ? null : scrapeWindowGauges(program.url)]);
  const clock0 = programStart ?? start;
  const clock1 = programEnd ?? gauges;
  const window: Window = {
    wallMs: lg.wallMs,
    serverCpu: srv.cpu,
    serverRunQueueShare: srv.runQueueShare,
    loadgenRunQueueShare: gen.runQueueShare,
    serverRssKiB: srv.rssKiB,
    ...(gauges.heapFreeKiB !== null && { serverHeapFreeKiB: gauges.heapFreeKiB }),
    ...(gauges.batchMs !== null && { serverBatchMs: gauges.batchMs }),
    skippedTicks: delta(clock0.skippedTicks, clock1.skippedTicks),
    programFrames: delta(clock0.programFrames, clock1.programFrames),
    deliveryDuty: gauges.deliveryDuty,
    eventLoop: gauges.eventLoop,
    loadgen: lg.loadgen,
    base: lg.groups.base,
    slow: lg.groups.slow,
  };
  return { window, others };
}
