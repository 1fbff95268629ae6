/**
 * @module bench/report-json — docs/benchmarks.json: the headline keys issue 8 asks for, derived from the
 * latest run of each scenario, plus every run in full under `runs` (each with its command and date).
 * A run of one scenario replaces that scenario's run and keeps the others. Figures not measured yet
 * are null with a note saying why; nothing is ever typed in by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { JanusRun } from './scenario-janus.ts';
import { clusterFigures, type ClusterFigures } from './cluster-figures.ts';
import type { ClusterResult } from './cluster-results.ts';
import type { FanoutResult, FanoutStep, IcecastResult, IcecastVariantRun, SlowResult, StormResult } from './results.ts';
import type { ScenarioResult } from './scenario-result.ts';
import type { HandsResult } from './scenario-hands.ts';

export interface Runs {
  /** fanout on the default listener sockets (uWebSockets.js) */
  fanout?: FanoutResult;
  /** the same fanout with AMPHI_LISTENER_SOCKETS=ws, for the side-by-side */
  fanoutWs?: FanoutResult;
  storm?: StormResult;
  slow?: SlowResult;
  icecast?: IcecastResult;
  janus?: JanusRun;
  cluster?: ClusterResult;
  hands?: HandsResult;
}

/** issue 17's keys, from the latest hands run (null until one ran) */
export interface ModerationFigures {
  readonly hands: number;
  readonly raiseP99Ms: number;
  readonly hostActionP99Ms: number;
  readonly bytesPerSecondToHost: number;
  readonly roomActionsPerSecond: number;
  readonly date: string;
}

export interface BenchJson {
  readonly listenersPerCore: number | null;
  readonly p99DelayMs: number | null;
  readonly framesLost: number | null;
  /** at the headline step: frames received per listener per second (real time: 50) and ticks the server dropped */
  readonly deliveredFramesPerListenerSecond: number | null;
  readonly skippedTicks: number | null;
  readonly icecastListenersPerCore: number | null;
  /** storm: joins admitted ÷ all the server's CPU seconds of the storm (raw) */
  readonly joinsPerSecond: number | null;
  /** the same with the room's own CPU subtracted (scatters with it: see the storm section) */
  readonly joinsPerSecondDerived: number | null;
  readonly p99JoinToAudioMs: number | null;
  readonly failedJoins: number | null;
  readonly rssPerListenerKiB: number | null;
  readonly userCpuShare: number | null;
  readonly icecastSameRateListenersPerCore: number | null;
  readonly janusListenersPerCore: number | null;
  readonly batchMs: number | null;
  /** the listener socket libraries side by side, from the two fanout runs */
  readonly socketLibraries: { readonly uws: SocketFigures | null; readonly ws: SocketFigures | null };
  /** one room across processes (issue 16), from the latest cluster run; a key not measured is absent and its note (`cluster.KEY`) says why */
  readonly cluster: ClusterFigures | null;
  readonly moderation: ModerationFigures | null;
  readonly date: string | null;
  readonly notes: Readonly<Record<string, string>>;
  readonly runs: Runs;
}

export interface SocketFigures {
  readonly listenersPerCore: number;
  readonly p99DelayMs: number;
  readonly userCpuShare: number;
  readonly rssPerListenerKiB: number;
  readonly atListeners: number;
  readonly date: string;
}

/** socket sent by the server: its AMPHI_LISTENER_SOCKETS, 'uws' when unset (the default since the uWS delivery) */
export const socketsOf = (r: FanoutResult): 'uws' | 'ws' => (r.serverEnv['AMPHI_LISTENER_SOCKETS'] === 'ws' ? 'ws' : 'uws');

function socketFigures(r: FanoutResult | undefined): SocketFigures | null {
  const b = r?.best;
  if (r === undefined || b === null || b === undefined) return null;
  return {
    listenersPerCore: Math.round(b.listenersPerCore),
    p99DelayMs: Math.round(b.window.base.delay.p99 * 10) / 10,
    userCpuShare: Math.round(b.window.serverCpu.userShare * 1000) / 1000,
    rssPerListenerKiB: Math.round(b.rssPerListenerKiB * 100) / 100,
    atListeners: b.connected,
    date: r.date,
  };
}

const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

const isRun = (v: unknown, scenario: string): boolean =>
  typeof v === 'object' && v !== null && 'scenario' in v && v.scenario === scenario && 'command' in v && 'date' in v;

/**
 * figures an existing benchmarks.json holds that no `npm run bench` scenario measures, kept when a run
 * rewrites the file: `stage` (issue 20: leveling, hot-mic and echo figures from the stage-sound tests
 * and bench/mixer-cost.ts)
 */
export function keptFigures(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'stage' in parsed ? { stage: parsed.stage } : {};
}

/** the runs kept in an existing benchmarks.json (unknown or malformed entries are dropped) */
export function readRuns(file: string): Runs {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const runs: unknown = typeof parsed === 'object' && parsed !== null && 'runs' in parsed ? parsed.runs : null;
  if (typeof runs !== 'object' || runs === null) return {};
  const r = runs as Record<string, unknown>;
  const out: Runs = {};
  // The shapes are ours, written by this module; the scenario tag is the check that matters.
  if (isRun(r['fanout'], 'fanout')) out.fanout = r['fanout'] as FanoutResult;
  if (isRun(r['fanoutWs'], 'fanout')) out.fanoutWs = r['fanoutWs'] as FanoutResult;
  if (isRun(r['storm'], 'storm')) out.storm = r['storm'] as StormResult;
  if (isRun(r['slow'], 'slow')) out.slow = r['slow'] as SlowResult;
  if (isRun(r['icecast'], 'icecast')) out.icecast = r['icecast'] as IcecastResult;
  if (isRun(r['janus'], 'janus')) out.janus = r['janus'] as JanusRun;
  if (isRun(r['cluster'], 'cluster')) out.cluster = r['cluster'] as ClusterResult;
  if (isRun(r['hands'], 'hands')) out.hands = r['hands'] as HandsResult;
  return out;
}

export function withResult(runs: Runs, result: ScenarioResult): Runs {
  switch (result.scenario) {
    case 'fanout':
      return socketsOf(result) === 'ws' ? { ...runs, fanoutWs: result } : { ...runs, fanout: result };
    case 'storm':
      return { ...runs, storm: result };
    case 'slow':
      return { ...runs, slow: result };
    case 'icecast':
      return { ...runs, icecast: result };
    case 'janus':
      return { ...runs, janus: result };
    case 'cluster':
      return { ...runs, cluster: result };
    case 'hands':
      return { ...runs, hands: result };
  }
}

/** the note beside an Icecast key: what the figure is, with its latency, or why there is none */
function icecastNote(r: IcecastResult, v: IcecastVariantRun): string {
  const b = v.best;
  if (b === null) return `${r.icecastVersion}, ${v.name}: no step met the budget: ${v.stopReason}`;
  const l = b.window.listeners;
  return (
    `${r.icecastVersion}, ${v.summary}; at ${b.connected} listeners: page delay p99 ${round(l.delay.p99)} ms (relative to the best case the path achieved), ` +
    `per packet p99 ${round(l.packetDelay.p99)} ms (with the wait for its page), a joining listener starts p50 ${Math.round(l.joinBacklog.p50)} ms behind live` +
    (b.limitedBy === 'none' ? '' : `; limited by ${b.limitedBy}`) +
    `; the ramp stopped because ${v.stopReason}`
  );
}

/** as Amphi's listenersPerCore: from the largest step that met the budget with nothing lost */
const icecastPerCore = (v: IcecastVariantRun | undefined): number | null => (v?.best ? Math.round(v.best.listenersPerCore) : null);

export function summarize(runs: Runs): BenchJson {
  const best = runs.fanout?.best ?? null;
  const storm = runs.storm;
  const icecast = runs.icecast;
  const dates = [runs.fanout?.date, runs.storm?.date, runs.slow?.date, icecast?.date, runs.janus?.date, runs.cluster?.date, runs.hands?.date].filter((d): d is string => d !== undefined).sort();
  const notes: Record<string, string> = {
    perCore: 'per-core figures are listeners (or joins/s) ÷ server cores used, from /proc/PID/stat over the measured window',
    icecastListenersPerCore: icecast ? icecastNote(icecast, icecast.variants.defaults) : 'not measured yet: `npm run bench -- icecast`',
    icecastSameRateListenersPerCore: icecast ? icecastNote(icecast, icecast.variants.sameRate) : 'not measured yet: `npm run bench -- icecast`',
    janusListenersPerCore: runs.janus
      ? runs.janus.best
        ? `${runs.janus.janusVersion}: ${runs.janus.best.listeners} WebRTC listeners served on ${Math.round(runs.janus.best.janusCpu.cores * 100)}% of a core (user share ${Math.round(runs.janus.best.janusCpu.userShare * 100)}%); the ramp stopped because ${runs.janus.stopReason}`
        : `no step was fully served: ${runs.janus.stopReason}`
      : 'not measured yet: `npm run bench -- janus`',
  };
  if (runs.fanout && best === null) notes['listenersPerCore'] = `no fanout step met the budget: ${runs.fanout.stopReason}`;
  if (best && best.limitedBy !== 'none') {
    notes['listenersPerCore'] =
      `limited by ${best.limitedBy} at that step (the server waited for a CPU ${Math.round((best.window.serverRunQueueShare ?? 0) * 100)}% of the window); ` +
      `the ramp stopped because ${runs.fanout?.stopReason ?? '?'}`;
  }
  if (storm && storm.limitedBy !== 'none') {
    notes['joinsPerSecond'] = `limited by ${storm.limitedBy} (the server waited for a CPU ${Math.round((storm.serverRunQueueShare ?? 0) * 100)}% of the storm; ${storm.listenOverflows ?? 0} connections refused on a full accept queue)`;
  }
  if (runs.fanout === undefined) notes['listenersPerCore'] = 'fanout not run yet';
  const cluster = runs.cluster ? clusterFigures(runs.cluster) : null;
  for (const [k, v] of Object.entries(cluster?.notes ?? {})) notes[`cluster.${k}`] = v;
  if (cluster === null) notes['cluster'] = 'not measured yet: `npm run bench -- cluster`';
  if (storm === undefined) notes['joinsPerSecond'] = 'storm not run yet';
  const slope = medianRssGrowthKiB(runs.fanout?.steps ?? []);
  if (slope !== null && slope < 0.5) {
    notes['rssPerListenerKiB'] = `below what this measurement can see: the server's RSS moved with garbage collection by more than the listeners added (median growth ${slope} KiB per listener from step to step); under 0.5 KiB either way`;
  }
  return {
    listenersPerCore: best ? Math.round(best.listenersPerCore) : null,
    p99DelayMs: best ? round(best.window.base.delay.p99) : null,
    framesLost: best ? best.window.base.framesLost : null,
    deliveredFramesPerListenerSecond: best?.deliveredFramesPerListenerSecond === undefined ? null : round(best.deliveredFramesPerListenerSecond, 2),
    skippedTicks: best?.window.skippedTicks ?? null,
    icecastListenersPerCore: icecastPerCore(icecast?.variants.defaults),
    // raw: the storm's whole server CPU; the derived figure (room subtracted) scatters with the room's own CPU
    joinsPerSecond: storm ? Math.round(storm.joinCost?.joinsPerCoreSecondWithFanout ?? storm.joinsPerSecondPerCore) : null,
    joinsPerSecondDerived: storm ? Math.round(storm.joinsPerSecondPerCore) : null,
    p99JoinToAudioMs: storm ? round(storm.storm.joinToAudio.p99) : null,
    failedJoins: storm ? storm.storm.failed : null,
    rssPerListenerKiB: slope ?? (best ? round(best.rssPerListenerKiB, 2) : null),
    userCpuShare: best ? round(best.window.serverCpu.userShare, 3) : null,
    icecastSameRateListenersPerCore: icecastPerCore(icecast?.variants.sameRate),
    janusListenersPerCore: runs.janus?.janusListenersPerCore == null ? null : Math.round(runs.janus.janusListenersPerCore),
    batchMs: runs.fanout?.batchMs ?? storm?.batchMs ?? runs.slow?.batchMs ?? null,
    socketLibraries: { uws: socketFigures(runs.fanout), ws: socketFigures(runs.fanoutWs) },
    cluster: cluster?.figures ?? null,
    moderation: runs.hands ? moderationFigures(runs.hands) : null,
    date: dates.at(-1) ?? null,
    notes,
    runs,
  };
}

const moderationFigures = (h: HandsResult): ModerationFigures => ({
  hands: h.hands,
  raiseP99Ms: h.raiseP99Ms,
  hostActionP99Ms: h.hostActionP99Ms,
  bytesPerSecondToHost: h.bytesPerSecondToHost,
  roomActionsPerSecond: h.roomActionsPerSecond,
  date: h.date,
});

/**
 * KiB of server memory per listener: the median, over consecutive fan-out steps, of the growth of (RSS
 * − the V8 heap's unused reserve) per listener added. One step's difference from idle swings with GC
 * by more than the listeners' own share (single steps read −1.7 to +1.8 KiB in one run), and a
 * least-squares line over all steps is dragged below zero when the server hands back memory it held
 * since start-up in one step (20 MiB outside the heap between 5,000 and 7,500 listeners in one run:
 * −0.46 KiB "per listener"); the median step ignores that one. Null with fewer than two steps.
 */
export function medianRssGrowthKiB(steps: readonly FanoutStep[]): number | null {
  return medianGrowthPerListener(steps.map((st) => ({ listeners: st.connected, kiB: st.window.serverRssKiB - (st.window.serverHeapFreeKiB ?? 0) })));
}

/** the same median step-to-step growth for a server measured by RSS alone (Icecast), so the two compare */
export function medianGrowthPerListener(points: ReadonlyArray<{ readonly listeners: number; readonly kiB: number }>): number | null {
  const slopes: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a !== undefined && b !== undefined && b.listeners !== a.listeners) slopes.push((b.kiB - a.kiB) / (b.listeners - a.listeners));
  }
  if (slopes.length === 0) return null;
  slopes.sort((p, q) => p - q);
  const mid = slopes.length / 2;
  const slope = Number.isInteger(mid) ? ((slopes[mid - 1] as number) + (slopes[mid] as number)) / 2 : (slopes[Math.floor(mid)] as number);
  return Math.round(slope * 100) / 100;
}
