/**
 * @module bench/scenario-icecast — the fan-out of scenario-fanout against Icecast2, for the report to
 * set beside Amphi's: Debian's icecast2 on the server core, fed by ffmpeg the same 32 kbit/s Opus tone,
 * listeners ramped through the same --listeners steps as plain HTTP clients in the same load generator.
 * Two variants, each on a fresh icecast2: `sameRate` (no burst, pages as long as Amphi's batches: the
 * same bitrate and write rate) and `defaults` (Icecast's burst on connect, ffmpeg's 1 s pages). Each
 * step is judged by Amphi's rule (p99 page delay within the budget, nothing lost, every listener in)
 * and its limit by the same test (whose core was full); listeners per core = listeners ÷ icecast2
 * cores used (all its threads). Whatever happens, icecast2, ffmpeg and the generator are stopped.
 */
import type { BenchOptions } from './bench-context.ts';
import { FFMPEG_DEFAULT_PAGE_MS, icecastVariants, PROGRAM_BITRATE_KBPS, type IcecastVariant } from './icecast-config.ts';
import { ensureIcecastTools, IcecastBenchError, icecastVersions, startIcecast, type IcecastRun } from './icecast-server.ts';
import { Loadgen } from './loadgen-control.ts';
import { cpuBetween, cpuTimes, rssKiB, runQueueWaitMs } from './proc-stats.ts';
import { bar, note, timedBar } from './progress.ts';
import type { IcecastResult, IcecastStep, IcecastVariantRun, IcecastWindow } from './results.ts';
import { REAL_TIME_FPS, REAL_TIME_SHARE, limitOf, reachableSteps } from './scenario-fanout.ts';

/**
 * Connects in flight while ramping, at most: icecast2 2.4 listens with a backlog of 5, so a burst of
 * hundreds of SYNs mostly overflows it and each dropped one costs its client a retry of 1 s, 3 s, …
 * This is the fan-out's capacity, not a join storm: the ramp goes at the pace icecast2 accepts.
 */
export const ICECAST_RAMP_CONCURRENCY = 50;

const sumValues = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measure(run: IcecastRun, loadgen: Loadgen, label: string, ms: number): Promise<IcecastWindow> {
  const cpu0 = cpuTimes(run.pid);
  const feed0 = cpuTimes(run.feederPid);
  const wait0 = { server: runQueueWaitMs(run.pid), feeder: runQueueWaitMs(run.feederPid), loadgen: runQueueWaitMs(loadgen.pid) };
  await loadgen.windowStart();
  await timedBar(label, ms);
  const lg = await loadgen.icecastWindowEnd();
  const cpu1 = cpuTimes(run.pid);
  const feed1 = cpuTimes(run.feederPid);
  const wall = cpu1.at - cpu0.at;
  return {
    wallMs: lg.wallMs,
    serverCpu: cpuBetween(cpu0, cpu1),
    serverRunQueueShare: (runQueueWaitMs(run.pid) - wait0.server) / wall,
    loadgenRunQueueShare: (runQueueWaitMs(loadgen.pid) - wait0.loadgen) / wall,
    serverRssKiB: rssKiB(run.pid),
    feederCpu: cpuBetween(feed0, feed1),
    feederRunQueueShare: (runQueueWaitMs(run.feederPid) - wait0.feeder) / wall,
    loadgen: lg.loadgen,
    listeners: lg.listeners,
  };
}

export async function runVariant(opts: BenchOptions, loadgen: Loadgen, variant: IcecastVariant, steps: readonly number[], capped: boolean): Promise<IcecastVariantRun> {
  const pageMs = variant.pageMs ?? FFMPEG_DEFAULT_PAGE_MS;
  // Amphi's listeners stall after 1 s without a frame; with 1 s pages that would flag every listener.
  const stallMs = Math.max(1000, 3 * pageMs);
  // A settle pause must hold a few pages, so t0 and each listener's first pages are behind us.
  const settleMs = Math.max(opts.settleMs, 3 * pageMs);
  note(`starting icecast2 (${variant.name}: ${variant.summary}) on core ${opts.serverCore ?? 'any'}, feeder on core ${opts.loadgenCore ?? 'any'}`);
  const run = await startIcecast({ variant, serverCore: opts.serverCore, feederCore: opts.loadgenCore, maxListeners: steps.at(-1) ?? 1 });
  try {
    note(`icecast2 pid ${run.pid} on 127.0.0.1:${run.port}${run.mount}, feeder pid ${run.feederPid}: ${run.feederCommand}`);
    const target = { host: '127.0.0.1', port: run.port, path: run.mount };
    await loadgen.icecastReset(run.feederStartWallMs, stallMs);
    const idle = await measure(run, loadgen, `${variant.name}: idle (feeder live, no listener)`, Math.min(opts.windowMs, 5000));
    // The reference listener comes first, alone, so its best case is an idle server's.
    const ref = await loadgen.icecastOpen(target, 1, 1);
    if (ref.opened !== 1) throw new IcecastBenchError('reference-failed', `the reference listener could not connect: ${JSON.stringify(ref.failures)}`);
    await pause(settleMs);
    const results: IcecastStep[] = [];
    let stopReason = 'all steps met the budget';
    let connected = ref.total;
    for (const want of steps) {
      const open = bar(`${variant.name}: ramp to ${want} listeners`, want - connected);
      const opened = await loadgen.icecastOpen(target, Math.max(0, want - connected), Math.min(opts.concurrency, ICECAST_RAMP_CONCURRENCY), (done) =>
        open.update(done),
      );
      open.stop();
      connected = opened.total;
      await pause(settleMs);
      const w = await measure(run, loadgen, `${variant.name}: window at ${want} listeners`, opts.windowMs);
      const l = w.listeners;
      const step: IcecastStep = {
        target: want,
        connected: l.listeners,
        openFailures: opened.failures,
        openMs: opened.ms,
        window: w,
        rssPerListenerKiB: l.listeners > 0 ? (w.serverRssKiB - idle.serverRssKiB) / l.listeners : 0,
        listenersPerCore: w.serverCpu.cores > 0 ? l.listeners / w.serverCpu.cores : 0,
        // the same real-time rule as Amphi's steps: Opus packets (20 ms each) per listener per second
        packetsPerListenerSecond: l.listeners > 0 && w.wallMs > 0 ? l.packets / l.listeners / (w.wallMs / 1000) : 0,
        ok:
          l.listeners > 0 &&
          w.wallMs > 0 &&
          l.packets / l.listeners / (w.wallMs / 1000) >= REAL_TIME_FPS * REAL_TIME_SHARE &&
          l.listeners === want &&
          l.referenceConnected &&
          l.delay.count > 0 &&
          l.delay.p99 <= opts.p99BudgetMs &&
          l.pagesLost === 0 &&
          l.stalled === 0 &&
          sumValues(l.closes) === 0,
        limitedBy: limitOf(w),
      };
      results.push(step);
      note(
        `${variant.name} ${want} listeners: page delay p50 ${l.delay.p50.toFixed(1)} ms, p99 ${l.delay.p99.toFixed(1)} ms, max ${l.delay.max.toFixed(0)} ms; ` +
          `per packet p99 ${l.packetDelay.p99.toFixed(0)} ms; join backlog p50 ${l.joinBacklog.p50.toFixed(0)} ms; lost ${l.pagesLost} pages, stalled ${l.stalled}, ` +
          `icecast2 ${(w.serverCpu.cores * 100).toFixed(0)}% of a core (user ${(w.serverCpu.userShare * 100).toFixed(0)}%), RSS ${(w.serverRssKiB / 1024).toFixed(0)} MiB, ` +
          `generator ${(w.loadgen.cores * 100).toFixed(0)}%, feeder ${(w.feederCpu.cores * 100).toFixed(0)}% -> ${step.ok ? 'ok' : 'MISSED'}`,
      );
      if (!step.ok) {
        stopReason =
          `${want} listeners missed the budget (page delay p99 ${l.delay.p99.toFixed(0)} ms, ${l.pagesLost} pages lost, ` +
          `${l.listeners}/${want} connected, ${l.stalled} stalled, closes ${sumValues(l.closes)}${l.referenceConnected ? '' : ', reference listener gone'}); limit: ${step.limitedBy}`;
        break;
      }
    }
    if (capped && results.every((s) => s.ok)) stopReason = `the open-files limit (${opts.openFiles}) capped the ramp at ${steps.at(-1)} listeners`;
    return {
      name: variant.name,
      summary: variant.summary,
      burstSize: variant.burstSize,
      pageMs: variant.pageMs,
      feederCommand: run.feederCommand,
      stallMs,
      idle: { rssKiB: idle.serverRssKiB, cpu: idle.serverCpu, feederCpu: idle.feederCpu },
      steps: results,
      best: results.filter((s) => s.ok).at(-1) ?? null,
      stopReason,
    };
  } catch (err) {
    note(`icecast2/ffmpeg log tail:\n${run.logTail().join('\n')}`);
    throw err;
  } finally {
    // Listeners go first, so the next variant starts from none and icecast2 stops without clients.
    await loadgen.icecastReset(0, 1000).catch((err: unknown) => note(`closing the Icecast listeners failed: ${err instanceof Error ? err.message : String(err)}`));
    await run.stop();
  }
}

export async function runIcecast(opts: BenchOptions): Promise<IcecastResult> {
  ensureIcecastTools();
  const versions = icecastVersions();
  const { steps, capped } = reachableSteps(opts.steps, opts.openFiles);
  if (capped) note(`steps capped at ${steps.at(-1)} listeners: the open-files limit is ${opts.openFiles}`);
  const loadgen = await Loadgen.start(opts.repo, opts.loadgenCore);
  try {
    const variants = icecastVariants(opts.batchMs);
    const sameRate = await runVariant(opts, loadgen, variants.sameRate, steps, capped);
    const defaults = await runVariant(opts, loadgen, variants.defaults, steps, capped);
    return {
      scenario: 'icecast',
      ...opts.run,
      batchMs: opts.batchMs,
      serverCore: opts.serverCore,
      loadgenCore: opts.loadgenCore,
      serverEnv: {},
      p99BudgetMs: opts.p99BudgetMs,
      icecastVersion: versions.icecast,
      ffmpegVersion: versions.ffmpeg,
      bitrateKbps: PROGRAM_BITRATE_KBPS,
      rampConcurrency: Math.min(opts.concurrency, ICECAST_RAMP_CONCURRENCY),
      variants: { sameRate, defaults },
    };
  } finally {
    await loadgen.stop();
  }
}
