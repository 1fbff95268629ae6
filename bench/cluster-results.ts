/**
 * @module bench/cluster-results — the shapes of what the cluster scenario measured, as stored in
 * docs/benchmarks.json under runs.cluster: the edge's fan-out ramp (each window with the origin's,
 * nats-server's and the NATS hop's figures beside the edge's), and the three failovers. Types only;
 * every number in them comes from a run.
 */
import type { GroupReport, OpenReport, RejoinReport } from './loadgen-protocol.ts';
import type { HopWindow } from './nats-hop.ts';
import type { IcecastVariantRun, Limit, ProcessUse, RunInfo, Window } from './results.ts';

/** the host is heard again when this much of the new origin's program (ms) is this loud (RMS; the bench's tone has amplitude 0.3) */
export const VOICE_MS = 400;
export const VOICE_RMS = 0.05;

/** a phase that could not be measured says why instead of giving figures */
export interface PhaseFailure {
  readonly failed: string;
}

export const isFailure = <T extends object>(p: T | PhaseFailure): p is PhaseFailure => 'failed' in p;

/** one measured window of the cluster: the edge under load as "the server" */
export interface ClusterWindow {
  /**
   * the measured edge as the server (CPU, RSS, loop delay, batch length, delivery duty); skipped ticks
   * and program frames are the origin's, whose clock produces the program
   */
  readonly window: Window;
  readonly origin: ProcessUse;
  readonly nats: ProcessUse;
  /** the other edges over the same window (idle, or holding listeners in the top window) */
  readonly otherEdges: readonly ProcessUse[];
  /** origin capture → arrival at a NATS subscriber (bench/nats-hop.ts) */
  readonly hop: HopWindow;
}

export interface ClusterStep extends ClusterWindow {
  readonly target: number;
  readonly connected: number;
  readonly openFailures: OpenReport['failures'];
  readonly openMs: number;
  /** listeners ÷ the edge's cores used in the window */
  readonly listenersPerEdgeCore: number;
  readonly deliveredFramesPerListenerSecond: number;
  readonly minListenerFramesPerSecond: number;
  /** real time (the fan-out's rule, ticks from the origin), p99 ≤ budget, 0 lost, none stalled or closed, all connected */
  readonly ok: boolean;
  /** why not, when not */
  readonly why: string;
  readonly limitedBy: Limit;
}

/** the origin with the most listeners the machine holds on the edges: its CPU is what this is for */
export interface ClusterTop extends ClusterWindow {
  readonly listeners: number;
  /** listeners per edge node, by AMPHI_NODE_ID */
  readonly onEdges: Readonly<Record<string, number>>;
  readonly deliveredFramesPerListenerSecond: number;
  /** whether the listeners were in real time there (the origin's figure stands either way) */
  readonly realTime: boolean;
}

export interface OriginKill {
  readonly killed: string;
  readonly newHolder: string;
  /** listeners on the edges when the origin was killed */
  readonly listeners: number;
  /** of them, sockets that closed during the failover window */
  readonly closed: number;
  /** listeners whose socket never closed ÷ listeners */
  readonly keptShare: number;
  /** kill → the probe listener's first frame of the new origin */
  readonly programBackMs: number | null;
  /** kill → the host heard again at the probe listener (the new origin's mix carries the tone) */
  readonly audioBackMs: number | null;
  /** the host's microphone offers (1 + one per move of the stage) */
  readonly hostOffers: number;
  /** every listener over the window: duplicates, seq gaps, the longest silence */
  readonly group: GroupReport;
  readonly windowMs: number;
}

export interface EdgeKill {
  readonly killed: string;
  readonly fallback: string;
  readonly rejoin: RejoinReport;
  readonly group: GroupReport;
  readonly windowMs: number;
}

export interface NatsRestart {
  /** SIGKILL → the new nats-server accepting connections */
  readonly downMs: number;
  /** restart → the probe listener's next frame */
  readonly frameBackMs: number | null;
  readonly group: GroupReport;
  readonly windowMs: number;
}

export interface ClusterResult extends RunInfo {
  readonly scenario: 'cluster';
  readonly natsVersion: string;
  readonly origins: number;
  readonly edges: number;
  /** the core the edges are pinned to (serverCore) and the one the origins and nats-server share with the generator */
  readonly originCore: number | null;
  readonly p99BudgetMs: number;
  readonly idle: ClusterWindow;
  readonly steps: readonly ClusterStep[];
  readonly best: ClusterStep | null;
  readonly stopReason: string;
  readonly top: ClusterTop | PhaseFailure;
  /** listeners per edge during the failovers */
  readonly failoverListenersPerEdge: number;
  readonly originKill: OriginKill | PhaseFailure;
  readonly edgeKill: EdgeKill | PhaseFailure;
  readonly natsRestart: NatsRestart | PhaseFailure;
  /** Icecast2 at the edge's write rate on the same machine in the same run, or why not */
  readonly icecast: (IcecastVariantRun & { readonly icecastVersion: string }) | PhaseFailure;
}
