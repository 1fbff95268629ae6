/**
 * @module bench/scenario-storm — a join storm against a live room that already has listeners: joins
 * start at a fixed rate far above what one core admits (by default directly, one upgrade of
 * /ws/listen?room=, as a signed-out browser joins; or a ticket over HTTP, then the listener socket);
 * it records joins admitted per second, time from the join's first request to the first audio frame, joins
 * that failed, and the delay of the listeners already in, as a timeline. Joins per second per core =
 * joins admitted ÷ the server CPU seconds the joins themselves used: the storm's CPU minus the room
 * with the listeners already in (5 s windows just before and, when the joiners leave, just after: that
 * room's CPU is most of the storm's, so one short window's error swung the result by half) and minus the
 * joiners' own fan-out once in (the
 * marginal cost per listener, from a window with everyone in just after, times the listener-seconds
 * they were in). The all-in figure, fan-out included, is reported beside it.
 */
import type { AmphiBench } from './bench-context.ts';
import { bar, note } from './progress.ts';
import { cpuBetween, cpuTimes, listenOverflows, runQueueWaitMs } from './proc-stats.ts';
import { directListenerUrl } from '../src/protocol/listener-query.ts';
import type { JoinCost, StormResult } from './results.ts';
import { scrapeEventLoopLag } from './server-process.ts';

/** how long the room with the listeners already in is measured, before (and after) the storm */
const BASE_WINDOW_MS = 5000;

/** the listener port's ticket URL, as the API names it to signed-out listeners (ticketOrigin) */
async function listenerTicketUrl(apiTicketUrl: string): Promise<string> {
  const res = await fetch(apiTicketUrl);
  const body: unknown = await res.json();
  const origin = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['ticketOrigin'] : undefined;
  if (typeof origin !== 'string') throw new Error(`the API named no listener port for tickets (is AMPHI_LISTENER_SOCKETS=ws?): ${JSON.stringify(body)}`);
  return origin + new URL(apiTicketUrl).pathname;
}

/** listener-seconds over the storm's timeline: the listeners in at each bucket, times its length */
export function listenerSeconds(base: number, timeline: readonly { readonly durMs: number; readonly admitted: number }[]): number {
  let inNow = base;
  let sum = 0;
  for (const b of timeline) {
    sum += (inNow + b.admitted / 2) * (b.durMs / 1000);
    inNow += b.admitted;
  }
  return sum;
}

/** the direct join URL on the listener port, from its ticket URL (http://HOST:PORT/api/rooms/ID/listen) */
export function directUrlOf(listenerTicketUrl: string): string {
  const u = new URL(listenerTicketUrl);
  const roomId = decodeURIComponent(u.pathname.split('/')[3] ?? '');
  return directListenerUrl(`ws://${u.host}`, roomId);
}

/** a storm's raw figure: joins ÷ all the server's CPU of the storm (older runs without it: the derived one) */
export const rawJoinsPerCore = (r: StormResult): number => r.joinCost?.joinsPerCoreSecondWithFanout ?? r.joinsPerSecondPerCore;

/**
 * The median of repeated storms by the raw joins per core-second (the lower middle of an even count),
 * with every run's figure beside it: the derived figure is a difference of two CPU readings and scattered
 * by a third between identical runs, so the median is taken on the raw one.
 */
export function medianStorm(runs: readonly StormResult[]): StormResult {
  const sorted = [...runs].sort((x, y) => rawJoinsPerCore(x) - rawJoinsPerCore(y));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median === undefined) throw new Error('medianStorm needs at least one run');
  return runs.length === 1 ? median : { ...median, repeats: runs.map(rawJoinsPerCore) };
}

export async function runStorm(b: AmphiBench): Promise<StormResult> {
  const { opts } = b;
  // Two short windows first, so the fan-out's cost can be taken out of the storm's: the room with
  // nobody listening, then with the listeners already in.
  const idle = await b.measure('idle room (for the join cost)', 2000);
  const open = bar(`${opts.stormBase} listeners already in`, opts.stormBase);
  await b.loadgen.open(await b.target(), opts.stormBase, opts.concurrency, (done) => open.update(done));
  open.stop();
  await new Promise((r) => setTimeout(r, opts.settleMs));
  const steady = await b.measure(`${opts.stormBase} listeners steady (for the join cost)`, BASE_WINDOW_MS);
  const how =
    opts.stormTickets === 'direct' ? 'direct joins on the listener port' : opts.stormTickets === 'token' ? 'joins holding a join token, verified on each upgrade' : `tickets from the ${opts.stormTickets === 'api' ? 'API' : 'listener port'}`;
  // an admitted ticket's socket URL, fetched once before the storm: what a joiner holds after the room page's
  // ticket request; each upgrade still verifies its HMAC (nothing caches a verdict)
  const tokenUrl = opts.stormTickets === 'token' ? await b.room.socketUrl() : null;
  note(`storm: ${opts.stormRate} joins/s for ${opts.stormMs / 1000} s (${Math.round((opts.stormRate * opts.stormMs) / 1000)} joins), ${how}`);
  const portTickets = opts.stormTickets === 'api' ? null : await listenerTicketUrl(b.room.ticketUrl);
  await scrapeEventLoopLag(b.server.url);
  const overflows0 = listenOverflows();
  const cpu0 = cpuTimes(b.server.pid);
  const wait0 = runQueueWaitMs(b.server.pid);
  const storm = await b.loadgen.storm({
    ticketUrl: portTickets ?? b.room.ticketUrl,
    ...(opts.stormTickets === 'direct' && portTickets !== null && { directUrl: directUrlOf(portTickets) }),
    ...(tokenUrl !== null && { tokenUrl }),
    leaveOnAudio: !opts.stormStay,
    host: '127.0.0.1',
    port: b.server.port,
    rate: opts.stormRate,
    durationMs: opts.stormMs,
    timeoutMs: opts.joinTimeoutMs,
    bucketMs: 250,
  });
  const cpu1 = cpuTimes(b.server.pid);
  const overflows = listenOverflows() - overflows0;
  const serverRunQueueShare = (runQueueWaitMs(b.server.pid) - wait0) / (cpu1.at - cpu0.at);
  const eventLoop = await scrapeEventLoopLag(b.server.url);
  const serverCpu = cpuBetween(cpu0, cpu1);
  const cores = serverCpu.cores;
  // Joins per core-second of server CPU: the same as admitted/s ÷ cores used, without mixing the
  // generator's clock with ours. It includes the fan-out to the listeners already in (conservative).
  const cpuSeconds = (serverCpu.userMs + serverCpu.sysMs) / 1000;
  // Joiners who stay are then fanned out to, which is not the joins' cost: take it out with the marginal
  // cost per listener measured with everyone in, after the storm, against the same base just before.
  // Joiners who leave at their first audio cost only the join (connection, admission, first audio, close).
  let after: Awaited<ReturnType<AmphiBench['measure']>> | null = null;
  let baseAfter: number | null = null;
  await new Promise((r) => setTimeout(r, opts.settleMs));
  if (opts.stormStay) {
    after = await b.measure(`${opts.stormBase + storm.admitted} listeners steady after the storm (for the join cost)`, 3000);
  } else {
    baseAfter = (await b.measure(`${opts.stormBase} listeners steady again after the storm (for the join cost)`, BASE_WINDOW_MS)).serverCpu.cores;
  }
  const baseCores = baseAfter === null ? steady.serverCpu.cores : (steady.serverCpu.cores + baseAfter) / 2;
  const coresPerListener = after !== null && storm.admitted > 0 ? Math.max(0, after.serverCpu.cores - steady.serverCpu.cores) / storm.admitted : 0;
  const served = after === null ? 0 : listenerSeconds(0, storm.timeline);
  const joinCpuSeconds = cpuSeconds - baseCores * (serverCpu.wallMs / 1000) - coresPerListener * served;
  const joinCost: JoinCost = {
    idleCores: idle.serverCpu.cores,
    baseCores,
    ...(baseAfter !== null && { baseBeforeCores: steady.serverCpu.cores, baseAfterCores: baseAfter }),
    ...(after !== null && { afterCores: after.serverCpu.cores }),
    coresPerListener,
    listenerSeconds: served,
    joinCpuSeconds,
    joinsPerCoreSecondWithFanout: cpuSeconds > 0 ? storm.admitted / cpuSeconds : 0,
  };
  const limitedBy = storm.loadgen.cores >= 0.9 ? 'generator-cpu' : cores >= 0.9 ? 'server-cpu' : serverRunQueueShare >= 0.1 ? 'cpu-contention' : 'none';
  note(
    `storm: ${storm.admitted}/${storm.offered} admitted at ${storm.admittedPerSec.toFixed(0)}/s, ${storm.failed} failed, ` +
      `join→audio p99 ${storm.joinToAudio.p99.toFixed(0)} ms, listeners already in p99 ${storm.base.delay.p99.toFixed(0)} ms, ` +
      `server ${(cores * 100).toFixed(0)}% of a core (${joinCpuSeconds.toFixed(2)} core-s for the joins themselves), generator ${(storm.loadgen.cores * 100).toFixed(0)}%, accept-queue overflows ${overflows}`,
  );
  return {
    scenario: 'storm',
    ...b.runInfo(),
    baseListeners: opts.stormBase,
    rate: opts.stormRate,
    durationMs: opts.stormMs,
    joinTimeoutMs: opts.joinTimeoutMs,
    joinPath: opts.stormTickets,
    joinersStay: opts.stormStay,
    storm,
    serverCpu,
    eventLoop,
    listenOverflows: overflows,
    serverRunQueueShare,
    // the joins' own CPU: what the issue's "joins per second per core" asks (the fan-out has its own scenario)
    joinsPerSecondPerCore: joinCpuSeconds > 0 ? storm.admitted / joinCpuSeconds : 0,
    limitedBy,
    joinCost,
  };
}
