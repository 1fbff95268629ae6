/**
 * @module bench/cluster-figures.test — the `cluster` keys come from the right raw figures of a run
 * (the headline edge step, the step nearest 1,000 listeners for the origin, the failovers' windows),
 * and a phase that was not measured leaves its keys out with a note, never a made-up number.
 */
import { describe, expect, it } from 'vitest';
import { clusterFigures, stepNear } from './cluster-figures.ts';
import type { ClusterResult, ClusterStep, ClusterWindow } from './cluster-results.ts';
import type { GroupReport, RejoinReport } from './loadgen-protocol.ts';
import type { ProcessUse, Window } from './results.ts';

const use = (cores: number): ProcessUse => ({ cpu: { userMs: cores * 8000, sysMs: cores * 2000, wallMs: 10_000, cores, userShare: 0.8 }, runQueueShare: 0, rssKiB: 1000 });
const delay = { count: 100, p50: 40, p99: 120, max: 150, mean: 50 };
const group = (listeners: number, extra: Partial<GroupReport> = {}): GroupReport => ({
  listeners,
  delay,
  frames: listeners * 500,
  messages: 0,
  bytes: 0,
  framesLost: 0,
  duplicates: 0,
  malformed: 0,
  stalled: 0,
  closes: {},
  minListenerFrames: 500,
  maxSeqGap: 0,
  maxArrivalGapMs: 160,
  ...extra,
});
const window = (listeners: number, edgeCores: number): Window => ({
  wallMs: 10_000,
  serverCpu: use(edgeCores).cpu,
  serverRunQueueShare: 0,
  loadgenRunQueueShare: 0,
  serverRssKiB: 100_000,
  serverBatchMs: 120,
  eventLoop: null,
  skippedTicks: 0,
  programFrames: 500,
  loadgen: { userMs: 0, sysMs: 0, cores: 0.5, eventLoopP99Ms: 1 },
  base: group(listeners),
  slow: group(0),
});
const measured = (listeners: number, edgeCores: number, originCores: number, hopP50: number): ClusterWindow => ({
  window: window(listeners, edgeCores),
  origin: use(originCores),
  nats: use(0.01),
  otherEdges: [use(0.01)],
  hop: { delay: { ...delay, p50: hopP50, p99: hopP50 * 3 }, frames: 500, lost: 0 },
});
const step = (listeners: number, edgeCores: number, originCores: number, ok: boolean): ClusterStep => ({
  ...measured(listeners, edgeCores, originCores, listeners / 1000),
  target: listeners,
  connected: listeners,
  openFailures: {},
  openMs: 100,
  listenersPerEdgeCore: listeners / edgeCores,
  deliveredFramesPerListenerSecond: 50,
  minListenerFramesPerSecond: 50,
  ok,
  why: ok ? '' : 'p99 300 ms > 250',
  limitedBy: 'none',
});
const rejoin: RejoinReport = {
  onPortAtArm: 2000,
  lost: 2000,
  back: 1999,
  pending: 0,
  gaveUp: 1,
  attempts: 2100,
  failedAttempts: 101,
  failures: {},
  backMs: delay,
  back99Ms: 1234,
  backAllMs: null,
  resumeGapFrames: 0,
  resumeRepeats: 0,
};

function run(over: Partial<ClusterResult> = {}): ClusterResult {
  const steps = [step(1000, 0.1, 0.09, true), step(5000, 0.4, 0.1, true), step(10_000, 0.95, 0.1, false)];
  return {
    scenario: 'cluster',
    command: 'npm run bench -- cluster',
    date: '2026-12-07T00:00:00.000Z',
    batchMs: 60,
    serverEnv: {},
    serverCore: 0,
    loadgenCore: 1,
    machine: { nproc: 2, cpuModel: 'test', ramGiB: 1, kernel: 'k', node: 'v20' },
    openFiles: 20_000,
    loadAverage: 1,
    natsVersion: 'nats-server: v2.9.10',
    origins: 2,
    edges: 2,
    originCore: 1,
    p99BudgetMs: 250,
    idle: measured(0, 0.02, 0.08, 1),
    steps,
    best: steps[1] ?? null,
    stopReason: '10000 listeners missed',
    top: { ...measured(19_500, 1, 0.11, 2), listeners: 19_500, onEdges: { 'edge-1': 10_000, 'edge-2': 9500 }, deliveredFramesPerListenerSecond: 40, realTime: false },
    failoverListenersPerEdge: 2000,
    originKill: { killed: 'origin-a', newHolder: 'origin-b', listeners: 4000, closed: 2, keptShare: 3998 / 4000, programBackMs: 3000, audioBackMs: 3500, hostOffers: 2, group: group(3998, { duplicates: 1 }), windowMs: 9000 },
    edgeKill: { killed: 'edge-1', fallback: 'edge-2', rejoin, group: group(4000, { duplicates: 2 }), windowMs: 6000 },
    natsRestart: { downMs: 150, frameBackMs: 400, group: group(4000, { maxArrivalGapMs: 420, duplicates: 3 }), windowMs: 4000 },
    icecast: { failed: 'not run (--no-icecast)' },
    ...over,
  };
}

describe('clusterFigures', () => {
  it('derives each key from its raw figure', () => {
    const { figures } = clusterFigures(run());
    expect(figures).toEqual({
      edgeListenersPerCore: 12_500,
      originCpuShareAt1k: 0.09,
      originCpuShareAt20k: 0.11,
      natsHopP50Ms: 5,
      natsHopP99Ms: 15,
      originKillAudioBackSeconds: 3.5,
      originKillKeptShare: 0.9995,
      edgeKillBack99Seconds: 1.23,
      failedJoins: 1,
      duplicateFrames: 6,
      natsRestartGapSeconds: 0.42,
    });
  });

  it('leaves out what was not measured, and says why', () => {
    const { figures, notes } = clusterFigures(run({ best: null, originKill: { failed: 'no origin took the room' }, top: { failed: 'generator died' } }));
    expect(figures.edgeListenersPerCore).toBeUndefined();
    expect(figures.originKillAudioBackSeconds).toBeUndefined();
    expect(figures.originKillKeptShare).toBeUndefined();
    expect(figures.originCpuShareAt20k).toBeUndefined();
    expect(figures.icecastSameRateListenersPerCore).toBeUndefined();
    // the hop falls back to the first step; duplicates count the failovers that ran
    expect(figures.natsHopP50Ms).toBe(1);
    expect(figures.duplicateFrames).toBe(5);
    expect(notes.originKillAudioBackSeconds).toMatch(/no origin took the room/);
    expect(notes.icecastSameRateListenersPerCore).toMatch(/--no-icecast/);
    expect(notes.edgeListenersPerCore).toMatch(/no edge step/);
  });

  it('reads the origin at the step nearest 1,000 listeners', () => {
    const steps = [step(400, 0.05, 0.07, true), step(1500, 0.2, 0.08, true)];
    expect(stepNear(steps, 1000)?.connected).toBe(1500);
    expect(stepNear([], 1000)).toBeNull();
  });
});
