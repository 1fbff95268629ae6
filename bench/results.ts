/**
 * @module bench/results — the shapes of what each scenario measured, as written to
 * docs/benchmarks.json (machine-readable) and rendered into docs/benchmarks.md. Every number in them
 * comes from a run; nothing here computes or invents a figure.
 */
import type { DelaySummary } from './histogram.ts';
import type { IcecastVariantName } from './icecast-config.ts';
import type { GroupReport, IcecastGroupReport, LoadgenCpu, StormReport } from './loadgen-protocol.ts';
import type { CpuUse, Machine } from './proc-stats.ts';
import type { EventLoopLag } from './server-process.ts';

/** who held a measurement back: the server's core, the generator's core, a limit of the machine, nobody */
export type Limit = 'none' | 'server-cpu' | 'generator-cpu' | 'cpu-contention' | 'file-descriptors';

export interface RunInfo {
  /** the exact command that produced the figures */
  readonly command: string;
  readonly date: string;
  readonly batchMs: number;
  /** AMPHI_* settings given to the server besides AMPHI_BATCH_MS (empty: its defaults) */
  readonly serverEnv: Readonly<Record<string, string>>;
  readonly serverCore: number | null;
  readonly loadgenCore: number | null;
  readonly machine: Machine;
  /** the open-files limit each process got */
  readonly openFiles: number;
  /** machine load (1-minute average) before the run: a shared machine makes every figure pessimistic */
  readonly loadAverage: number;
}

/** one process over a window, from /proc */
export interface ProcessUse {
  readonly cpu: CpuUse;
  /** share of the window its threads were runnable but waiting for a CPU */
  readonly runQueueShare: number;
  readonly rssKiB: number;
}

/** one measured window: the server from /proc and /metrics, the listeners from the generator */
export interface Window {
  readonly wallMs: number;
  readonly serverCpu: CpuUse;
  /** share of the window the server's threads were runnable but waiting for a CPU (another process had it) */
  readonly serverRunQueueShare: number;
  readonly loadgenRunQueueShare: number;
  readonly serverRssKiB: number;
  /** the V8 heap's unused space at the window's end (memory V8 holds in reserve, not the listeners') */
  readonly serverHeapFreeKiB?: number;
  /** the batch length the server was sending at the window's end (absent in older runs) */
  readonly serverBatchMs?: number;
  readonly eventLoop: EventLoopLag | null;
  /** 20 ms ticks the server's room clocks dropped during the window (null: unknown; absent in older runs) */
  readonly skippedTicks?: number | null;
  /** program frames the server produced during the window (50 a second per live room in real time) */
  readonly programFrames?: number | null;
  /** share of wall time the server spent writing batches, the second before the window's end */
  readonly deliveryDuty?: number | null;
  readonly loadgen: LoadgenCpu;
  readonly base: GroupReport;
  readonly slow: GroupReport;
}

export interface FanoutStep {
  readonly target: number;
  readonly connected: number;
  readonly openFailures: Readonly<Record<string, number>>;
  readonly openMs: number;
  readonly window: Window;
  readonly rssPerListenerKiB: number;
  /** listeners ÷ server cores used in the window */
  readonly listenersPerCore: number;
  /** frames received per listener per second, the mean over the step's listeners (real time: 50) */
  readonly deliveredFramesPerListenerSecond?: number;
  /** the same for the listener that got the fewest */
  readonly minListenerFramesPerSecond?: number;
  /**
   * real time held: no tick skipped, the mean ≥ 99% of 50 frames/s, and every listener within one batch
   * of it; p99 ≤ budget, no frame lost, no stalled listener, every socket opened
   */
  readonly ok: boolean;
  readonly limitedBy: Limit;
}

export interface FanoutResult extends RunInfo {
  readonly scenario: 'fanout';
  readonly p99BudgetMs: number;
  readonly idle: { readonly rssKiB: number; readonly cpu: CpuUse; readonly eventLoop: EventLoopLag | null };
  readonly steps: readonly FanoutStep[];
  /** the largest step that met the budget with 0 frames lost */
  readonly best: FanoutStep | null;
  readonly stopReason: string;
}

/** what the joins themselves cost, with the fan-out to everyone already in taken out */
export interface JoinCost {
  /** server cores with the room live and nobody listening (mixer, speaker, timers) */
  readonly idleCores: number;
  /**
   * server cores with the listeners already in, as subtracted: the window just before the storm, or, when the
   * joiners left, the mean of that and the same room measured again just after (absent in older runs)
   */
  readonly baseCores?: number;
  /** when the joiners left: the room with the listeners already in, just before and just after the storm */
  readonly baseBeforeCores?: number;
  readonly baseAfterCores?: number;
  /** server cores with everyone in, just after the storm (joiners who stayed); coresPerListener is (after − base) ÷ joiners */
  readonly afterCores?: number;
  /** server cores per listener in steady fan-out (older runs: from the window before the storm) */
  readonly coresPerListener: number;
  /** listener-seconds served during the storm: the joiners only when baseCores is set, else everyone */
  readonly listenerSeconds: number;
  /** storm CPU seconds minus the base room and the fan-out for those listener-seconds */
  readonly joinCpuSeconds: number;
  /** joins admitted ÷ all server CPU seconds of the storm, fan-out included (the conservative figure) */
  readonly joinsPerCoreSecondWithFanout: number;
}

/**
 * direct: `/ws/listen?room=`, one upgrade, no token; token: one upgrade with a signed join token the
 * joiner already holds (verified on every join); listener / api: a ticket over HTTP first, then the upgrade
 */
export type StormJoinPath = 'direct' | 'token' | 'listener' | 'api';

export interface StormResult extends RunInfo {
  readonly scenario: 'storm';
  readonly baseListeners: number;
  readonly rate: number;
  readonly durationMs: number;
  readonly joinTimeoutMs: number;
  /** how a join got in: direct (`/ws/listen?room=`, one upgrade) or a ticket from the listener port or the API (absent before direct joins: a ticket) */
  readonly joinPath?: StormJoinPath;
  /** false: each joiner left at its first audio (the join's cost alone); absent in older runs (they stayed) */
  readonly joinersStay?: boolean;
  readonly storm: StormReport;
  readonly serverCpu: CpuUse;
  readonly eventLoop: EventLoopLag | null;
  /** SYNs the kernel dropped on a full accept queue during the storm (machine-wide counter) */
  readonly listenOverflows: number;
  /** share of the storm the server's threads waited for a CPU another process held */
  readonly serverRunQueueShare: number;
  /** joins admitted ÷ the server CPU seconds the joins used (the storm's, minus idle and fan-out: joinCost) */
  readonly joinsPerSecondPerCore: number;
  readonly limitedBy: Limit;
  /** how joinsPerSecondPerCore was separated from the fan-out (absent in runs before it was) */
  readonly joinCost?: JoinCost;
  /** the raw joins per core-second (joinCost.joinsPerCoreSecondWithFanout) of every run of a repeated storm, in run order; this result is the median one (runs before 2026-12-07 listed the derived figure) */
  readonly repeats?: readonly number[];
}

export interface SlowResult extends RunInfo {
  readonly scenario: 'slow';
  readonly listeners: number;
  readonly share: number;
  readonly paused: number;
  /** everyone reading */
  readonly before: Window;
  /** `paused` listeners stopped reading; base = the others */
  readonly during: Window;
  /** the paused ones after they read again: skipped frames show as lost, 4008 as closes */
  readonly slowAfterResume: GroupReport;
}

/** one measured window of the icecast scenario: icecast2 and its feeder from /proc, the listeners from the generator */
export interface IcecastWindow {
  readonly wallMs: number;
  /** icecast2, all its threads */
  readonly serverCpu: CpuUse;
  readonly serverRunQueueShare: number;
  readonly loadgenRunQueueShare: number;
  readonly serverRssKiB: number;
  /** the ffmpeg feeder, on the generator's core */
  readonly feederCpu: CpuUse;
  readonly feederRunQueueShare: number;
  readonly loadgen: LoadgenCpu;
  readonly listeners: IcecastGroupReport;
}

export interface IcecastStep {
  readonly target: number;
  readonly connected: number;
  readonly openFailures: Readonly<Record<string, number>>;
  readonly openMs: number;
  readonly window: IcecastWindow;
  readonly rssPerListenerKiB: number;
  /** listeners ÷ icecast2 cores used in the window */
  readonly listenersPerCore: number;
  /** Opus packets (20 ms each) received per listener per second (real time: 50; absent in older runs) */
  readonly packetsPerListenerSecond?: number;
  /** as for Amphi: real time (≥ 99% of 50 packets/s), page delay p99 ≤ budget, no page lost, none stalled or closed, every listener connected */
  readonly ok: boolean;
  readonly limitedBy: Limit;
}

export interface IcecastVariantRun {
  readonly name: IcecastVariantName;
  readonly summary: string;
  /** `<burst-size>` in bytes; null = Icecast's default */
  readonly burstSize: number | null;
  /** Ogg page duration given to ffmpeg, ms; null = ffmpeg's default (1 s) */
  readonly pageMs: number | null;
  /** the feeder's command line, password masked */
  readonly feederCommand: string;
  /** a listener with no page for this long counts as stalled */
  readonly stallMs: number;
  readonly idle: { readonly rssKiB: number; readonly cpu: CpuUse; readonly feederCpu: CpuUse };
  readonly steps: readonly IcecastStep[];
  /** the largest step that met the budget with 0 pages lost */
  readonly best: IcecastStep | null;
  readonly stopReason: string;
}

export interface IcecastResult extends RunInfo {
  readonly scenario: 'icecast';
  readonly p99BudgetMs: number;
  /** e.g. "Icecast 2.4.4" */
  readonly icecastVersion: string;
  readonly ffmpegVersion: string;
  readonly bitrateKbps: number;
  /** connects in flight while ramping (icecast2 listens with a backlog of 5) */
  readonly rampConcurrency: number;
  readonly variants: Readonly<Record<IcecastVariantName, IcecastVariantRun>>;
}


export const percentDelta = (before: DelaySummary, after: DelaySummary): number =>
  before.p99 > 0 ? ((after.p99 - before.p99) / before.p99) * 100 : 0;
