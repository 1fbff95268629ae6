/**
 * @module bench/scenario-fanout — listeners per core: one live room, listeners ramped in steps; at
 * each step, after a settle pause, a steady window measures frames received per listener per second,
 * ticks the server's clock dropped, frame delay, frames lost, server CPU (user and system), RSS and
 * event-loop delay. The ramp stops at the first step that is not real time (every listener ≥ 99% of
 * 50 frames/s, no tick dropped), misses the delay budget or loses a frame. Listeners per core =
 * listeners ÷ server cores used, at the largest step that held all of it.
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

/** program frames a listener receives per second in real time (20 ms frames) */
export const REAL_TIME_FPS = 50;
/** a step passes only if listeners got at least this share of real time */
export const REAL_TIME_SHARE = 0.99;

export interface RealTime {
  readonly meanFps: number;
  readonly minFps: number;
  readonly ok: boolean;
  readonly why: string;
}

/**
 * What a listener lived through in a window: frames per second received, for the mean listener and the
 * one that got the fewest, against real time. The mean must reach 99% of 50/s; the fewest may fall
 * short of that by one batch (a window's edges cut batches differently for each listener, never more);
 * and the server must have dropped no tick, since dropped program time leaves no seq gap to count.
 */
export function realTimeOf(w: Pick<Window, 'wallMs' | 'skippedTicks' | 'base' | 'serverBatchMs'>): RealTime {
  const seconds = w.wallMs / 1000;
  const listeners = w.base.listeners;
  const meanFps = listeners > 0 && seconds > 0 ? w.base.frames / listeners / seconds : 0;
  const minFps = listeners > 0 && seconds > 0 ? (w.base.minListenerFrames ?? 0) / seconds : 0;
  const batchFrames = (w.serverBatchMs ?? 160) / 20;
  const floor = REAL_TIME_FPS * REAL_TIME_SHARE;
  const minFloor = floor - batchFrames / seconds;
  const reasons: string[] = [];
  if (w.skippedTicks === null || w.skippedTicks === undefined) reasons.push('skipped ticks unknown (no /metrics answer)');
  else if (w.skippedTicks > 0) reasons.push(`${w.skippedTicks} ticks skipped`);
  if (meanFps < floor) reasons.push(`${meanFps.toFixed(1)} frames/s per listener < ${floor}`);
  if (minFps < minFloor) reasons.push(`a listener got ${minFps.toFixed(1)} frames/s < ${minFloor.toFixed(1)}`);
  return { meanFps, minFps, ok: reasons.length === 0, why: reasons.join(', ') };
}

/**
 * A step's verdict from what its listeners lived through: real time (above), every listener in, p99
 * delay within the budget, no frame lost, none stalled, no socket closed. `why` names what failed.
 */
export function judgeStep(w: Pick<Window, 'wallMs' | 'skippedTicks' | 'base' | 'serverBatchMs'>, target: number, p99BudgetMs: number): { readonly ok: boolean; readonly rt: RealTime; readonly why: string } {
  const rt = realTimeOf(w);
  const b = w.base;
  const reasons = [
    ...(rt.ok ? [] : [`not real time: ${rt.why}`]),
    ...(b.listeners === target ? [] : [`${b.listeners}/${target} connected`]),
    ...(b.delay.count > 0 ? [] : ['no frame received']),
    ...(b.delay.p99 <= p99BudgetMs ? [] : [`p99 ${b.delay.p99.toFixed(0)} ms > ${p99BudgetMs}`]),
    ...(b.framesLost === 0 ? [] : [`${b.framesLost} frames lost`]),
    ...(b.stalled === 0 ? [] : [`${b.stalled} stalled`]),
    ...(sumValues(b.closes) === 0 ? [] : [`${sumValues(b.closes)} closed`]),
  ];
  return { ok: reasons.length === 0, rt, why: reasons.join(', ') };
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
    const { ok, rt } = judgeStep(w, target, opts.p99BudgetMs);
    const step: FanoutStep = {
      target,
      connected: listeners,
      openFailures: opened.failures,
      openMs: opened.ms,
      window: w,
      // RSS less the heap's unused reserve, so V8 growing or shrinking its headroom is not counted per listener
      rssPerListenerKiB: listeners > 0 ? (held(w) - held(idle)) / listeners : 0,
      listenersPerCore: w.serverCpu.cores > 0 ? listeners / w.serverCpu.cores : 0,
      deliveredFramesPerListenerSecond: rt.meanFps,
      minListenerFramesPerSecond: rt.minFps,
      ok,
      limitedBy: limitOf(w),
    };
    results.push(step);
    note(
      `${target} listeners: p50 ${w.base.delay.p50.toFixed(1)} ms, p99 ${w.base.delay.p99.toFixed(1)} ms, max ${w.base.delay.max.toFixed(0)} ms, ` +
        `lost ${w.base.framesLost}, stalled ${w.base.stalled}, server ${(w.serverCpu.cores * 100).toFixed(0)}% of a core ` +
        `(user ${(w.serverCpu.userShare * 100).toFixed(0)}%), frames/s per listener ${rt.meanFps.toFixed(1)} (fewest ${rt.minFps.toFixed(1)}), ` +
        `skipped ticks ${w.skippedTicks ?? '?'}, delivery duty ${w.deliveryDuty === null || w.deliveryDuty === undefined ? '?' : (w.deliveryDuty * 100).toFixed(0) + '%'}, generator ${(w.loadgen.cores * 100).toFixed(0)}%, ` +
        `server waited for a CPU ${(w.serverRunQueueShare * 100).toFixed(0)}% of the window, RSS ${(w.serverRssKiB / 1024).toFixed(0)} MiB, loop p99 ${w.eventLoop?.p99Ms.toFixed(1) ?? '?'} ms -> ${step.ok ? 'ok' : 'MISSED'}`,
    );
    if (!step.ok) {
      stopReason =
        `${target} listeners missed the budget (${rt.ok ? 'real time held' : `not real time: ${rt.why}`}; p99 ${w.base.delay.p99.toFixed(0)} ms, ${w.base.framesLost} frames lost, ` +
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
