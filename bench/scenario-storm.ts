/**
 * @module bench/scenario-storm — a join storm against a live room that already has listeners: joins
 * start at a fixed rate far above what one core admits (ticket over HTTP, then the listener socket);
 * it records joins admitted per second, time from the ticket request to the first audio frame, joins
 * that failed, and the delay of the listeners already in, as a timeline. Joins per second per core =
 * admitted per second ÷ server cores used during the storm.
 */
import type { AmphiBench } from './bench-context.ts';
import { bar, note } from './progress.ts';
import { cpuBetween, cpuTimes, listenOverflows, runQueueWaitMs } from './proc-stats.ts';
import type { StormResult } from './results.ts';
import { scrapeEventLoopLag } from './server-process.ts';

export async function runStorm(b: AmphiBench): Promise<StormResult> {
  const { opts } = b;
  const open = bar(`${opts.stormBase} listeners already in`, opts.stormBase);
  await b.loadgen.open(await b.target(), opts.stormBase, opts.concurrency, (done) => open.update(done));
  open.stop();
  await new Promise((r) => setTimeout(r, opts.settleMs));
  note(`storm: ${opts.stormRate} joins/s for ${opts.stormMs / 1000} s (${Math.round((opts.stormRate * opts.stormMs) / 1000)} joins)`);
  await scrapeEventLoopLag(b.server.url);
  const overflows0 = listenOverflows();
  const cpu0 = cpuTimes(b.server.pid);
  const wait0 = runQueueWaitMs(b.server.pid);
  const storm = await b.loadgen.storm({
    ticketUrl: b.room.ticketUrl,
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
  const limitedBy = storm.loadgen.cores >= 0.9 ? 'generator-cpu' : cores >= 0.9 ? 'server-cpu' : serverRunQueueShare >= 0.1 ? 'cpu-contention' : 'none';
  note(
    `storm: ${storm.admitted}/${storm.offered} admitted at ${storm.admittedPerSec.toFixed(0)}/s, ${storm.failed} failed, ` +
      `join→audio p99 ${storm.joinToAudio.p99.toFixed(0)} ms, listeners already in p99 ${storm.base.delay.p99.toFixed(0)} ms, ` +
      `server ${(cores * 100).toFixed(0)}% of a core, generator ${(storm.loadgen.cores * 100).toFixed(0)}%, accept-queue overflows ${overflows}`,
  );
  return {
    scenario: 'storm',
    ...b.runInfo(),
    baseListeners: opts.stormBase,
    rate: opts.stormRate,
    durationMs: opts.stormMs,
    joinTimeoutMs: opts.joinTimeoutMs,
    storm,
    serverCpu,
    eventLoop,
    listenOverflows: overflows,
    serverRunQueueShare,
    joinsPerSecondPerCore: cpuSeconds > 0 ? storm.admitted / cpuSeconds : 0,
    limitedBy,
  };
}
