/**
 * @module bench/cluster-figures — the `cluster` object of docs/benchmarks.json: issue 16's keys, each
 * derived from one figure of the latest cluster run, with a note saying where it comes from. A key
 * whose phase was not measured (it failed, or was not run) is left out and its note says why: no
 * figure is ever invented or typed in.
 */
import { isFailure, type ClusterResult, type ClusterStep } from './cluster-results.ts';

export interface ClusterFigures {
  readonly edgeListenersPerCore?: number;
  readonly icecastSameRateListenersPerCore?: number;
  readonly originCpuShareAt1k?: number;
  readonly originCpuShareAt20k?: number;
  readonly natsHopP50Ms?: number;
  readonly natsHopP99Ms?: number;
  readonly originKillAudioBackSeconds?: number;
  readonly originKillKeptShare?: number;
  readonly edgeKillBack99Seconds?: number;
  readonly duplicateFrames?: number;
  readonly failedJoins?: number;
  readonly natsRestartGapSeconds?: number;
}

export type ClusterKey = keyof ClusterFigures;

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** the step the origin's "1k" figure is read at: 1,000 listeners, else the step nearest to it */
export function stepNear(steps: readonly ClusterStep[], listeners: number): ClusterStep | null {
  let best: ClusterStep | null = null;
  for (const s of steps) if (best === null || Math.abs(s.connected - listeners) < Math.abs(best.connected - listeners)) best = s;
  return best;
}

/** the step the NATS hop is read at: the headline step (the hop at capacity), else the first */
export const hopStep = (r: ClusterResult): ClusterStep | null => r.best ?? r.steps[0] ?? null;

export function clusterFigures(r: ClusterResult): { readonly figures: ClusterFigures; readonly notes: Readonly<Partial<Record<ClusterKey, string>>> } {
  const f: { -readonly [K in ClusterKey]?: number } = {};
  const n: Partial<Record<ClusterKey, string>> = {};
  const b = r.best;
  if (b !== null) {
    f.edgeListenersPerCore = Math.round(b.listenersPerEdgeCore);
    n.edgeListenersPerCore = `${b.connected} listeners on one edge using ${pct(b.window.serverCpu.cores)} of its core (batch ${b.window.serverBatchMs ?? '?'} ms), ${b.deliveredFramesPerListenerSecond.toFixed(2)} frames per listener per second, p99 ${b.window.base.delay.p99.toFixed(1)} ms; the ramp stopped because ${r.stopReason}`;
  } else n.edgeListenersPerCore = `no edge step held real time within the budget: ${r.stopReason}`;
  if (isFailure(r.icecast)) n.icecastSameRateListenersPerCore = `not measured in this run: ${r.icecast.failed}`;
  else if (r.icecast.best === null) n.icecastSameRateListenersPerCore = `${r.icecast.icecastVersion}: no step held the same rule: ${r.icecast.stopReason}`;
  else {
    f.icecastSameRateListenersPerCore = Math.round(r.icecast.best.listenersPerCore);
    n.icecastSameRateListenersPerCore = `${r.icecast.icecastVersion}, ${r.icecast.summary}: ${r.icecast.best.connected} listeners on ${pct(r.icecast.best.window.serverCpu.cores)} of a core; the ramp stopped because ${r.icecast.stopReason}`;
  }
  const low = stepNear(r.steps, 1000);
  if (low !== null) {
    f.originCpuShareAt1k = round(low.origin.cpu.cores, 4);
    n.originCpuShareAt1k = `the origin's CPU (all its threads, of one core) with ${low.connected} listeners on the edges`;
  } else n.originCpuShareAt1k = 'no ramp step was measured';
  if (isFailure(r.top)) n.originCpuShareAt20k = `not measured: ${r.top.failed}`;
  else {
    f.originCpuShareAt20k = round(r.top.origin.cpu.cores, 4);
    const capped = r.top.listeners < 20_000 && r.openFiles - 500 < 20_000 ? `; 20,000 is more than this machine's open-files limit (${r.openFiles} per process) lets one generator hold` : '';
    n.originCpuShareAt20k = `the origin's CPU with ${r.top.listeners} listeners on the edges (${Object.entries(r.top.onEdges).map(([e, k]) => `${e} ${k}`).join(', ')}${capped}), listeners ${r.top.realTime ? 'in' : 'not in'} real time there`;
  }
  const h = hopStep(r);
  if (h !== null && h.hop.frames > 0) {
    f.natsHopP50Ms = round(h.hop.delay.p50, 2);
    f.natsHopP99Ms = round(h.hop.delay.p99, 2);
    n.natsHopP50Ms = `origin capture → arrival at a NATS subscriber of the room's program subject (an edge's hop before its batching and socket write), ${h.hop.frames} frames at the ${h.connected}-listener step`;
  } else n.natsHopP50Ms = 'no frame reached the NATS probe';
  const ok = r.originKill;
  if (isFailure(ok)) n.originKillAudioBackSeconds = `not measured: ${ok.failed}`;
  else {
    if (ok.audioBackMs !== null) f.originKillAudioBackSeconds = round(ok.audioBackMs / 1000, 2);
    f.originKillKeptShare = round(ok.keptShare, 4);
    n.originKillAudioBackSeconds = `SIGKILL of ${ok.killed} → the host heard again on an edge (${ok.newHolder} took the room); the program itself was back after ${ok.programBackMs === null ? 'no frame' : `${(ok.programBackMs / 1000).toFixed(2)} s`}`;
    n.originKillKeptShare = `${ok.listeners - ok.closed} of ${ok.listeners} listeners' sockets never closed through the origin kill`;
  }
  const ek = r.edgeKill;
  if (isFailure(ek)) n.edgeKillBack99Seconds = `not measured: ${ek.failed}`;
  else {
    if (ek.rejoin.back99Ms !== null) f.edgeKillBack99Seconds = round(ek.rejoin.back99Ms / 1000, 2);
    f.failedJoins = ek.rejoin.gaveUp + ek.rejoin.pending;
    n.edgeKillBack99Seconds = `SIGKILL of ${ek.killed} → 99% of its ${ek.rejoin.lost} listeners had a frame from ${ek.fallback}, resumed above their last seq`;
    n.failedJoins = `listeners of the killed edge not back within 30 s (${ek.rejoin.failedAttempts} attempts failed and were retried)`;
  }
  const phases = [ok, ek, r.natsRestart].flatMap((p) => (isFailure(p) ? [] : [p]));
  if (phases.length > 0) {
    f.duplicateFrames = phases.reduce((s, p) => s + p.group.duplicates, 0);
    n.duplicateFrames = `frames a listener received twice (seq at or below one it had), every listener, over the ${phases.length === 3 ? 'three failovers' : `${phases.length} failovers measured`}`;
  }
  const nr = r.natsRestart;
  if (isFailure(nr)) n.natsRestartGapSeconds = `not measured: ${nr.failed}`;
  else if (nr.group.maxArrivalGapMs !== undefined) {
    f.natsRestartGapSeconds = round(nr.group.maxArrivalGapMs / 1000, 2);
    n.natsRestartGapSeconds = `the longest wait between two frames at any listener through a nats-server SIGKILL and restart (down ${(nr.downMs / 1000).toFixed(2)} s)`;
  }
  return { figures: f, notes: n };
}
