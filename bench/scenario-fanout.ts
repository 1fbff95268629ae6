/**
 * @module bench/scenario-fanout — listeners per core: one live room, listeners ramped in steps; at
 * each step, after a settle pause, a steady window measures frame delay, frames lost, server CPU
 * (user and system), RSS and event-loop delay. The ramp stops at the first step that misses the delay
 * budget or loses a frame. Listeners per core = listeners ÷ server cores used, at the largest step
 * that met the budget with nothing lost.
 */
import type { AmphiBench } from './bench-context.ts';
import { note, bar } from './progress.ts';
import type { FanoutResult, FanoutStep, Limit, Window } from './results.ts';

/** a core this busy (of one) is the limit */
const SATURATED = 0.9;
/** waiting this share of a window for a CPU means the machine, not the process, set the pace */
const CONTENDED = 0.1;

/** what held a window back, judged from both processes' CPU */
export function limitOf(w: Pick<Window, 'serverCpu' | 'loadgen' | 'serverRunQueueShare' | 'loadgenRunQueueShare'>): Limit {
  if (w.loadgen.cores >= SATURATED) return 'generator-cpu';
  if (w.serverCpu.cores >= SATURATED) return 'server-cpu';
  // Neither core was full, yet a process waited for one: other work on the machine held it.
  if (w.serverRunQueueShare >= CONTENDED || w.loadgenRunQueueShare >= CONTENDED) return 'cpu-contention';
  return 'none';
}

const sumValues = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** listener counts the machine can hold: each socket needs a descriptor on both sides, keep some spare */
export function reachableSteps(steps: readonly number[], openFiles: number): { steps: number[]; capped: boolean } {
  const cap = openFiles - 500;
  const out = [...new Set(steps.map((s) => Math.min(s, cap)))].filter((s) => s > 0).sort((a, b) => a - b);
  return { steps: out, capped: steps.some((s) => s > cap) };
}

/** memory the server holds for real: RSS less the V8 heap's unused reserve (when /metrics told it) */
const held = (w: Window): number => w.serverRssKiB - (w.serverHeapFreeKiB ?? 0);

export async function runFanout(b: AmphiBench): Promise<FanoutResult> {
  const { opts } = b;
  const idle = await b.measure('idle (speaker live, no listener)', Math.min(opts.windowMs, 5000));
  const { steps, capped } = reachableSteps(opts.steps, opts.openFiles);
  if (capped) note(`steps capped at ${steps.at(-1)} listeners: the open-files limit is ${opts.openFiles}`);
  const results: FanoutStep[] = [];
  let stopReason = 'all steps met the budget';
  let connected = 0;
  for (const target of steps) {
    const open = bar(`ramp to ${target} listeners`, target - connected);
    const opened = await b.loadgen.open(await b.target(), target - connected, opts.concurrency, (done) => open.update(done));
    open.stop();
    connected = opened.total;
    await new Promise((r) => setTimeout(r, opts.settleMs));
    const w = await b.measure(`window at ${target} listeners`, opts.windowMs);
    const listeners = w.base.listeners;
    const step: FanoutStep = {
      target,
      connected: listeners,
      openFailures: opened.failures,
      openMs: opened.ms,
      window: w,
      // RSS less the heap's unused reserve, so V8 growing or shrinking its headroom is not counted per listener
      rssPerListenerKiB: listeners > 0 ? (held(w) - held(idle)) / listeners : 0,
      listenersPerCore: w.serverCpu.cores > 0 ? listeners / w.serverCpu.cores : 0,
      ok:
        listeners === target &&
        w.base.delay.count > 0 &&
        w.base.delay.p99 <= opts.p99BudgetMs &&
        w.base.framesLost === 0 &&
        w.base.stalled === 0 &&
        sumValues(w.base.closes) === 0,
      limitedBy: limitOf(w),
    };
    results.push(step);
    note(
      `${target} listeners: p50 ${w.base.delay.p50.toFixed(1)} ms, p99 ${w.base.delay.p99.toFixed(1)} ms, max ${w.base.delay.max.toFixed(0)} ms, ` +
        `lost ${w.base.framesLost}, stalled ${w.base.stalled}, server ${(w.serverCpu.cores * 100).toFixed(0)}% of a core ` +
        `(user ${(w.serverCpu.userShare * 100).toFixed(0)}%), generator ${(w.loadgen.cores * 100).toFixed(0)}%, ` +
        `server waited for a CPU ${(w.serverRunQueueShare * 100).toFixed(0)}% of the window, RSS ${(w.serverRssKiB / 1024).toFixed(0)} MiB, loop p99 ${w.eventLoop?.p99Ms.toFixed(1) ?? '?'} ms -> ${step.ok ? 'ok' : 'MISSED'}`,
    );
    if (!step.ok) {
      stopReason =
        `${target} listeners missed the budget (p99 ${w.base.delay.p99.toFixed(0)} ms, ${w.base.framesLost} frames lost, ` +
        `${listeners}/${target} connected, ${w.base.stalled} stalled); limit: ${step.limitedBy}`;
      break;
    }
  }
  if (capped && results.every((s) => s.ok)) stopReason = `the open-files limit (${opts.openFiles}) capped the ramp at ${steps.at(-1)} listeners`;
  const passing = results.filter((s) => s.ok);
  return {
    scenario: 'fanout',
    ...b.runInfo(),
    p99BudgetMs: opts.p99BudgetMs,
    idle: { rssKiB: idle.serverRssKiB, cpu: idle.serverCpu, eventLoop: idle.eventLoop },
    steps: results,
    best: passing.at(-1) ?? null,
    stopReason,
  };
}
