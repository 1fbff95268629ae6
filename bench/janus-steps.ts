/**
 * @module bench/janus-steps — the `janus` scenario's rules, as pure functions: what a window's
 * per-listener samples add up to, when a step is ok, what limited it (Janus's core, the generator's,
 * the machine), when the ramp stops, and the listeners-per-core figure (Amphi's fanout rule: the
 * largest ok step's listeners ÷ the cores Janus used there). No I/O and no clock, so tests feed it
 * numbers; it must never read a process or a file.
 */
import type { JanusResult, JanusStep } from './janus-result.ts';
import type { PeerSample } from './janus-listener-peer.ts';
import type { JanusWindowReport } from './janus-protocol.ts';
import type { Limit } from './results.ts';

/**
 * The default ramp: fine steps where Janus saturated on this 2-core machine type (near 200 listeners in
 * the light listeners' runs; an earlier VM's wrtc run pointed to ~440), coarser beyond; the ramp stops at
 * saturation anyway.
 */
export const DEFAULT_JANUS_STEPS: readonly number[] = [50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 1000];

/** Janus this busy (of one core) is the limit: the same threshold as Amphi's fanout */
export const SATURATED = 0.9;
/**
 * The generator is the limit sooner than a full core: wrtc receives on three threads (network, audio
 * device, Node) sharing one core, and in trial runs its listeners began to fall behind at ~85% of it;
 * the light listeners share one event loop, whose delay shows in their jitter well before 100%.
 */
export const GENERATOR_FULL = 0.8;
/** others taking this share of a process's core means the machine, not the process, set the pace */
export const CONTENDED = 0.1;
/**
 * A listener that received this much audio less than the program sent over the window fell behind: the
 * same 250 ms Amphi's fanout allows as p99 delay. Packets arrive without send times here, so a backlog
 * growing past the budget within one window is the delay the bench can see.
 */
export const BEHIND_BUDGET_MS = 250;

type WindowCounts = Omit<JanusWindowReport, 'wallMs' | 'keepaliveFailures' | 'eventLoopP99Ms'>;

/** adds up each listener's inbound-rtp counters between its start and end samples */
export function summarizeWindow(pairs: readonly { readonly start: PeerSample; readonly end: PeerSample }[], frameMs: number): WindowCounts {
  let connected = 0;
  let packetsReceived = 0;
  let packetsExpected = 0;
  let packetsLost = 0;
  let behind = 0;
  let jitterSum = 0;
  let jitterMax = 0;
  for (const { start, end } of pairs) {
    const received = Math.max(0, end.packetsReceived - start.packetsReceived);
    // Each peer is sampled at its own instants: what the program sent is measured over that interval.
    const expected = Math.max(0, end.at - start.at) / frameMs;
    if (end.connected) connected++;
    packetsReceived += received;
    packetsExpected += expected;
    packetsLost += Math.max(0, end.packetsLost - start.packetsLost);
    if (received < expected - BEHIND_BUDGET_MS / frameMs) behind++;
    jitterSum += end.jitter * 1000;
    jitterMax = Math.max(jitterMax, end.jitter * 1000);
  }
  return {
    listeners: pairs.length,
    connected,
    packetsReceived,
    packetsExpected: Math.round(packetsExpected),
    packetsLost,
    behind,
    jitterMsMean: pairs.length > 0 ? jitterSum / pairs.length : 0,
    jitterMsMax: jitterMax,
  };
}

export interface LimitInputs {
  readonly janusCores: number;
  readonly loadgenCores: number;
  /** share of the window each one's core ran something else, the hypervisor's steal included */
  readonly janusCoreTaken: number;
  readonly loadgenCoreTaken: number;
}

/** what held a window back, judged from both processes' CPU (the generator first, as in fanout) */
export function limitOf(w: LimitInputs): Limit {
  if (w.loadgenCores >= GENERATOR_FULL) return 'generator-cpu';
  if (w.janusCores >= SATURATED) return 'server-cpu';
  // Neither process filled its core, yet the core was busy with other work: the machine set the pace.
  if (w.janusCoreTaken >= CONTENDED || w.loadgenCoreTaken >= CONTENDED) return 'cpu-contention';
  return 'none';
}

/** every listener asked for is held and connected, none behind, nothing lost, no session dropped */
export function stepOk(target: number, w: Omit<JanusWindowReport, 'wallMs' | 'eventLoopP99Ms'>): boolean {
  return (
    w.listeners === target &&
    w.connected === target &&
    w.packetsReceived > 0 &&
    w.packetsLost === 0 &&
    w.behind === 0 &&
    w.keepaliveFailures === 0
  );
}

export const perCore = (listeners: number, cores: number): number => (cores > 0 ? listeners / cores : 0);

/** a process's CPU per listener it carried, in ms per second (cores × 1000 ÷ listeners), idle share included */
export const msPerListenerSecond = (cores: number, listeners: number): number => (listeners > 0 ? (cores * 1000) / listeners : 0);

/**
 * Why the ramp ends after this step, or null to go on: a step that was not ok, or a full core (Janus's
 * is the answer sought; the generator's means further steps would measure the generator).
 */
export function stopAfter(s: JanusStep): string | null {
  const cores = (c: number): string => `${(c * 100).toFixed(0)}% of a core`;
  if (!s.ok) {
    const p = s.packets;
    return (
      `${s.target} listeners were not all served (${s.connected}/${s.target} connected, ${p.behind} behind, ` +
      `${p.lost} packets lost, ${(p.receivedShare * 100).toFixed(1)}% received, ${s.keepaliveFailures} sessions dropped); ` +
      `Janus ${cores(s.janusCpu.cores)} (others took ${cores(s.janusCoreOthersShare + s.janusCoreStealShare)} more), ` +
      `generator ${cores(s.loadgenCpu.cores)} (others took ${cores(s.loadgenCoreOthersShare)} more); limit: ${s.limitedBy}`
    );
  }
  if (s.limitedBy === 'server-cpu') return `Janus's core saturated at ${s.target} listeners (${cores(s.janusCpu.cores)}), every listener still served`;
  if (s.limitedBy === 'generator-cpu') return `the generator's core saturated at ${s.target} listeners (${cores(s.loadgenCpu.cores)}): it, not Janus, was the limit`;
  return null;
}

/** the largest ok step and its listeners per Janus core: the same rule as Amphi's fanout `best` */
export function bestOf(steps: readonly JanusStep[]): Pick<JanusResult, 'best' | 'janusListenersPerCore'> {
  const best = steps.filter((s) => s.ok).at(-1) ?? null;
  return { best, janusListenersPerCore: best === null ? null : perCore(best.listeners, best.janusCpu.cores) };
}
