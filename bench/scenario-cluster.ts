/**
 * @module bench/scenario-cluster — one room across processes (issue 16): two origin-capable nodes,
 * N edges, the bench's own nats-server, a PostgreSQL schema of its own. First listeners per edge core:
 * listeners ramped on one edge, each step judged by what its listeners lived through (the fan-out's
 * rule: every frame, in real time, with the origin's clock checked for skipped ticks; p99 within the
 * budget, nothing lost), with the origin's CPU and the NATS hop measured in the same windows; then the
 * origin with as many listeners on the edges as the machine holds. Then the failovers
 * (bench/cluster-failover.ts), and last Icecast2 at the edge's write rate on the same machine.
 * Whatever happens, every process is stopped and the schema dropped.
 */
import type { BenchOptions } from './bench-context.ts';
import { withCluster, type ClusterBench } from './cluster-context.ts';
import { edgeKill, natsRestart, originKill } from './cluster-failover.ts';
import { isFailure, type ClusterResult, type ClusterStep, type ClusterTop, type PhaseFailure } from './cluster-results.ts';
import { icecastVariants } from './icecast-config.ts';
import { ensureIcecastTools, icecastVersions } from './icecast-server.ts';
import { natsVersion } from './nats-process.ts';
import { bar, note } from './progress.ts';
import { judgeStep, limitOf, reachableSteps } from './scenario-fanout.ts';
import { runVariant } from './scenario-icecast.ts';
import type { ClusterNode } from './cluster-nodes.ts';
import { Loadgen } from './loadgen-control.ts';
import type { IcecastVariantRun, RunInfo } from './results.ts';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** misses in a row that end the ramp whatever held them */
const MISSES_IN_A_ROW = 2;

/**
 * Listeners per edge core: listeners ramped on the first edge. A step missed while another process
 * held the core (cpu-contention) or the generator was full does not end the ramp (this machine is
 * shared: the next step may hold, and the largest step that holds is the figure); a step the edge
 * itself missed does, and so do two misses in a row.
 */
async function ramp(c: ClusterBench, edge: ClusterNode, steps: readonly number[]): Promise<{ steps: ClusterStep[]; stopReason: string }> {
  const { opts } = c;
  const results: ClusterStep[] = [];
  let connected = 0;
  let misses = 0;
  for (const target of steps) {
    const open = bar(`ramp ${edge.name} to ${target} listeners`, target - connected);
    const opened = await c.loadgen.open(await c.target(edge), target - connected, opts.concurrency, (done) => open.update(done));
    open.stop();
    connected = opened.total;
    await pause(opts.settleMs);
    const m = await c.measure(edge, `window at ${target} listeners on ${edge.name}`, opts.windowMs);
    const w = m.window;
    const { ok, rt, why } = judgeStep(w, target, opts.p99BudgetMs);
    const step: ClusterStep = {
      ...m,
      target,
      connected: w.base.listeners,
      openFailures: opened.failures,
      openMs: opened.ms,
      listenersPerEdgeCore: w.serverCpu.cores > 0 ? w.base.listeners / w.serverCpu.cores : 0,
      deliveredFramesPerListenerSecond: rt.meanFps,
      minListenerFramesPerSecond: rt.minFps,
      ok,
      why,
      limitedBy: limitOf(w),
    };
    results.push(step);
    note(
      `${target} on ${edge.name}: frames/s per listener ${rt.meanFps.toFixed(1)} (fewest ${rt.minFps.toFixed(1)}), origin skipped ticks ${w.skippedTicks ?? '?'}, ` +
        `delay p50 ${w.base.delay.p50.toFixed(1)} / p99 ${w.base.delay.p99.toFixed(1)} ms, lost ${w.base.framesLost}, edge ${(w.serverCpu.cores * 100).toFixed(0)}% of a core ` +
        `(batch ${w.serverBatchMs ?? '?'} ms), origin ${(m.origin.cpu.cores * 100).toFixed(1)}%, nats ${(m.nats.cpu.cores * 100).toFixed(1)}%, generator ${(w.loadgen.cores * 100).toFixed(0)}%, ` +
        `hop p50 ${m.hop.delay.p50.toFixed(1)} / p99 ${m.hop.delay.p99.toFixed(1)} ms -> ${ok ? 'ok' : `MISSED (${why})`}`,
    );
    misses = ok ? 0 : misses + 1;
    const machine = step.limitedBy === 'cpu-contention' || step.limitedBy === 'generator-cpu';
    if (!ok && (!machine || misses >= MISSES_IN_A_ROW)) return { steps: results, stopReason: `${target} listeners missed: ${why}; limit: ${step.limitedBy}${misses > 1 ? ` (${misses} misses in a row)` : ''}` };
    if (!ok) note(`${target} missed while ${step.limitedBy === 'cpu-contention' ? 'another process held the edge\'s core' : 'the generator\'s core was full'}: the ramp goes on`);
  }
  return { steps: results, stopReason: 'all steps met the budget' };
}

/** the origin's CPU with the most listeners the machine holds on the edges (the rest on the other edges) */
async function top(c: ClusterBench, most: number, connected: number): Promise<ClusterTop> {
  const [first, ...others] = c.cluster.edges;
  if (first === undefined) throw new Error('no edge');
  const onEdges: Record<string, number> = { [first.name]: connected };
  let total = connected;
  const share = Math.ceil((most - connected) / Math.max(1, others.length));
  for (const e of others) {
    const n = Math.min(share, most - total);
    if (n <= 0) break;
    const open = bar(`top up ${e.name} with ${n} listeners`, n);
    const opened = await c.loadgen.open(await c.target(e), n, c.opts.concurrency, (d) => open.update(d));
    open.stop();
    onEdges[e.name] = opened.opened;
    total = opened.total;
  }
  await pause(c.opts.settleMs);
  const m = await c.measure(first, `window with ${total} listeners on the edges`, c.opts.windowMs);
  const { rt } = judgeStep(m.window, m.window.base.listeners, c.opts.p99BudgetMs);
  note(`${total} listeners on the edges: origin ${(m.origin.cpu.cores * 100).toFixed(1)}% of a core, frames/s per listener ${rt.meanFps.toFixed(1)}${rt.ok ? '' : ` (not real time: ${rt.why})`}`);
  return { ...m, listeners: m.window.base.listeners, onEdges, deliveredFramesPerListenerSecond: rt.meanFps, realTime: rt.ok };
}

/** the failovers run with this many listeners on every edge */
async function spread(c: ClusterBench, perEdge: number): Promise<void> {
  await c.loadgen.closeAll();
  await pause(2000);
  for (const e of c.cluster.edges) {
    const open = bar(`${perEdge} listeners on ${e.name}`, perEdge);
    const opened = await c.loadgen.open(await c.target(e), perEdge, c.opts.concurrency, (d) => open.update(d));
    open.stop();
    if (opened.failed > 0) throw new Error(`${opened.failed} of ${perEdge} listeners could not open on ${e.name}: ${JSON.stringify(opened.failures)}`);
  }
  await pause(Math.max(3000, c.opts.settleMs));
}

async function attempt<T extends object>(what: string, run: () => Promise<T>): Promise<T | PhaseFailure> {
  try {
    return await run();
  } catch (err) {
    note(`${what} could not be measured: ${message(err)}`);
    return { failed: message(err) };
  }
}

/** what the cluster itself measured (the rest of a result is the run's header and Icecast's ramp) */
type ClusterPart = Omit<ClusterResult, 'icecast' | keyof RunInfo | 'scenario' | 'natsVersion'>;

export async function runCluster(opts: BenchOptions): Promise<ClusterResult> {
  const version = natsVersion();
  const { steps, capped } = reachableSteps(opts.steps, opts.openFiles);
  if (capped) note(`steps capped at ${steps.at(-1)} listeners: the open-files limit is ${opts.openFiles}`);
  const most = steps.at(-1) ?? 0;
  const part = await withCluster<ClusterPart>(opts, async (c) => {
    const edge = c.cluster.edges[0];
    if (edge === undefined) throw new Error('no edge');
    const idle = await c.measure(edge, 'idle (host speaking, no listener)', Math.min(opts.windowMs, 5000));
    const r = await ramp(c, edge, steps);
    const stopReason = capped && r.steps.every((s) => s.ok) ? `the open-files limit (${opts.openFiles}) capped the ramp at ${most} listeners` : r.stopReason;
    const topWindow = await attempt('the origin with the most listeners', () => top(c, most, r.steps.at(-1)?.connected ?? 0));
    const failover = await attempt('the failovers\' listeners', () => spread(c, opts.failoverListeners).then(() => ({})));
    const skip = (f: PhaseFailure): PhaseFailure => ({ failed: `not run: the listeners for it could not be placed (${f.failed})` });
    const originDown = isFailure(failover) ? skip(failover) : await attempt('origin kill', () => originKill(c));
    const edgeDown = isFailure(failover) ? skip(failover) : await attempt('edge kill', () => edgeKill(c));
    const natsDown = isFailure(failover) ? skip(failover) : await attempt('NATS restart', () => natsRestart(c));
    return {
      origins: c.cluster.origins.length,
      edges: c.cluster.edges.length,
      originCore: opts.loadgenCore,
      p99BudgetMs: opts.p99BudgetMs,
      idle,
      steps: r.steps,
      best: r.steps.filter((s) => s.ok).at(-1) ?? null,
      stopReason,
      top: topWindow,
      failoverListenersPerEdge: opts.failoverListeners,
      originKill: originDown,
      edgeKill: edgeDown,
      natsRestart: natsDown,
    };
  });
  // after the cluster is gone: Icecast gets the server core to itself, as the edge had it
  const icecast = opts.clusterIcecast ? await attempt('Icecast2 at the same write rate', () => icecastSameRate(opts, steps, capped, part)) : { failed: 'not run (--no-icecast)' };
  return { scenario: 'cluster', ...opts.run, batchMs: opts.batchMs, serverCore: opts.serverCore, loadgenCore: opts.loadgenCore, serverEnv: opts.serverEnv, natsVersion: version, ...part, icecast };
}

/** Icecast2 ramped through the same steps, its pages as long as the edge's batches at its headline step */
async function icecastSameRate(opts: BenchOptions, steps: readonly number[], capped: boolean, part: ClusterPart): Promise<IcecastVariantRun & { readonly icecastVersion: string }> {
  const batchMs = part.best?.window.serverBatchMs ?? part.steps[0]?.window.serverBatchMs ?? opts.batchMs;
  ensureIcecastTools();
  const loadgen = await Loadgen.start(opts.repo, opts.loadgenCore);
  try {
    note(`Icecast2 with ${batchMs} ms pages, the edge's write rate at its headline step`);
    const run = await runVariant(opts, loadgen, icecastVariants(batchMs).sameRate, steps, capped);
    return { ...run, icecastVersion: icecastVersions().icecast };
  } finally {
    await loadgen.stop();
  }
}
