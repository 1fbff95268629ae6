/**
 * @module bench/bench-context — what every Amphi scenario runs against: a fresh server process on the
 * server core, a live room with a synthetic speaker, and the load generator on the other core; plus
 * the one way to measure a window (server CPU and RSS from /proc, event-loop delay from /metrics,
 * listeners from the generator, all over the same interval). `withAmphi` tears everything down,
 * also when the scenario throws.
 */
import { LISTEN_TICKET_MS } from '../src/control/room-service.ts';
import { cpuBetween, cpuTimes, rssKiB, runQueueWaitMs } from './proc-stats.ts';
import { Loadgen } from './loadgen-control.ts';
import { openLiveRoom, type LiveRoom } from './live-room.ts';
import { note, timedBar } from './progress.ts';
import type { RunInfo, StormJoinPath, Window } from './results.ts';
import { scrapeWindowGauges, startAmphiProcess, type AmphiProcess } from './server-process.ts';
import { targetOfUrl, type RawWsTarget } from './raw-ws-client.ts';

/**
 * a listen token is reused for at most half its life: a socket opened with an expired one is closed
 * 4001, and a ramp of many steps outlasts one token (it did: 2,500 of 15,000 refused a minute in)
 */
const TOKEN_REUSE_MS = LISTEN_TICKET_MS / 2;

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
    measure: async (label, ms) => {
      // one scrape at the start: it resets the loop-delay histogram and reads the program's running totals
      const start = await scrapeWindowGauges(server.url);
      const cpu0 = cpuTimes(server.pid);
      const wait0 = { server: runQueueWaitMs(server.pid), loadgen: runQueueWaitMs(loadgen.pid) };
      await loadgen.windowStart();
      await timedBar(label, ms);
      const lg = await loadgen.windowEnd();
      const cpu1 = cpuTimes(server.pid);
      const wall = cpu1.at - cpu0.at;
      const serverRunQueueShare = (runQueueWaitMs(server.pid) - wait0.server) / wall;
      const loadgenRunQueueShare = (runQueueWaitMs(loadgen.pid) - wait0.loadgen) / wall;
      // the window's end: loop delay, heap reserve and batch length from one scrape of /metrics
      const gauges = await scrapeWindowGauges(server.url);
      return {
        wallMs: lg.wallMs,
        serverCpu: cpuBetween(cpu0, cpu1),
        serverRunQueueShare,
        loadgenRunQueueShare,
        serverRssKiB: rssKiB(server.pid),
        ...(gauges.heapFreeKiB !== null && { serverHeapFreeKiB: gauges.heapFreeKiB }),
        ...(gauges.batchMs !== null && { serverBatchMs: gauges.batchMs }),
        skippedTicks: delta(start.skippedTicks, gauges.skippedTicks),
        programFrames: delta(start.programFrames, gauges.programFrames),
        deliveryDuty: gauges.deliveryDuty,
        eventLoop: gauges.eventLoop,
        loadgen: lg.loadgen,
        base: lg.groups.base,
        slow: lg.groups.slow,
      };
    },
    runInfo: () => ({ ...opts.run, batchMs: opts.batchMs, serverCore: opts.serverCore, loadgenCore: opts.loadgenCore, serverEnv: opts.serverEnv }),
  };
}
