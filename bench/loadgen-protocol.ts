/**
 * @module bench/loadgen-protocol — the messages between the bench (parent) and the load generator
 * process over Node IPC: commands with an id, one answer per id, progress notes for long ones. Plain
 * JSON-safe data only; no behaviour lives here.
 */
import type { DelaySummary } from './histogram.ts';
import type { RawWsTarget } from './raw-ws-client.ts';

/** listeners that read everything (base), that stopped reading (slow), or that joined in a storm */
export type ListenerGroup = 'base' | 'slow' | 'storm';

export interface StormSpec {
  /** http://127.0.0.1:PORT/api/rooms/ID/listen */
  readonly ticketUrl: string;
  /** set: join directly at this listener URL (`ws://…/ws/listen?room=ID`), one upgrade, no ticket */
  readonly directUrl?: string;
  /** set: join at this listener URL holding a join token (`ws://…/ws/listen?token=…`), one upgrade that verifies it */
  readonly tokenUrl?: string;
  /** each joiner leaves (a polite close) as soon as it got its first audio */
  readonly leaveOnAudio?: boolean;
  readonly host: string;
  readonly port: number;
  /** joins started per second */
  readonly rate: number;
  readonly durationMs: number;
  /** a join with no audio after this long failed */
  readonly timeoutMs: number;
  readonly bucketMs: number;
}

export type LoadgenCommand =
  | { readonly id: number; readonly cmd: 'open'; readonly target: RawWsTarget; readonly count: number; readonly concurrency: number }
  | { readonly id: number; readonly cmd: 'windowStart' }
  | { readonly id: number; readonly cmd: 'windowEnd' }
  | { readonly id: number; readonly cmd: 'pause'; readonly share: number }
  | { readonly id: number; readonly cmd: 'resumeSlow'; readonly readMs: number }
  | { readonly id: number; readonly cmd: 'storm'; readonly spec: StormSpec }
  | { readonly id: number; readonly cmd: 'closeAll' }
  /** Icecast listeners (bench/icecast-listeners.ts): close all and start a run whose feeder started at `feederStartWallMs` */
  | { readonly id: number; readonly cmd: 'icecastReset'; readonly feederStartWallMs: number; readonly stallMs: number }
  | { readonly id: number; readonly cmd: 'icecastOpen'; readonly target: IcecastTarget; readonly count: number; readonly concurrency: number }
  /** the window opened by `windowStart`, for the Icecast listeners */
  | { readonly id: number; readonly cmd: 'icecastWindowEnd' }
  /** listeners lost from one edge come back on another (bench/rejoiner.ts), until disarmed */
  | { readonly id: number; readonly cmd: 'rejoinArm'; readonly spec: RejoinSpec }
  | { readonly id: number; readonly cmd: 'rejoinReport' }
  /** stops rejoining and answers the final report */
  | { readonly id: number; readonly cmd: 'rejoinDisarm' };

export interface RejoinSpec {
  /** the dead edge's listener port: only listeners lost from it come back */
  readonly fromPort: number;
  /** where they come back (a surviving edge, with a join token); `&resume=SEQ` is added per listener */
  readonly fallback: RawWsTarget;
  /** wall time (ms since the epoch) the edge was killed: back times count from it */
  readonly killedAtWallMs: number;
  /** a listener still not back this long after its loss gives up (a failed join) */
  readonly giveUpMs: number;
}

export interface RejoinReport {
  /** listeners on the dead edge's port when armed */
  readonly onPortAtArm: number;
  /** listeners whose socket to it ended since */
  readonly lost: number;
  /** of those, listeners that got a frame on the fallback */
  readonly back: number;
  /** still trying */
  readonly pending: number;
  /** gave up (not back within giveUpMs): failed joins */
  readonly gaveUp: number;
  readonly attempts: number;
  /** attempts that ended before a frame (each was retried after its backoff) */
  readonly failedAttempts: number;
  readonly failures: Readonly<Record<string, number>>;
  /** kill → first frame on the fallback, per listener back */
  readonly backMs: DelaySummary;
  /** kill → the moment 99% (all) of the lost were back; null while fewer are */
  readonly back99Ms: number | null;
  readonly backAllMs: number | null;
  /** frames skipped between a listener's last seq and its first after the resume, summed */
  readonly resumeGapFrames: number;
  /** listeners whose first frame after the resume was one they had already had */
  readonly resumeRepeats: number;
}

/** an Icecast mount over plain HTTP */
export interface IcecastTarget {
  readonly host: string;
  readonly port: number;
  /** the mount, e.g. /amphi.ogg */
  readonly path: string;
}

export interface OpenReport {
  readonly opened: number;
  readonly failed: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly ms: number;
  /** listeners connected after this command, all groups */
  readonly total: number;
}

export interface LoadgenCpu {
  readonly userMs: number;
  readonly sysMs: number;
  /** (user + sys) / wall: 1.0 = one core busy all the time */
  readonly cores: number;
  /** the generator's own event-loop delay p99: when high, measured delays include the generator's queue */
  readonly eventLoopP99Ms: number;
}

export interface GroupReport {
  readonly listeners: number;
  readonly delay: DelaySummary;
  readonly frames: number;
  readonly messages: number;
  readonly bytes: number;
  /** frames missing between consecutive seqs seen by the same listener */
  readonly framesLost: number;
  readonly duplicates: number;
  readonly malformed: number;
  /** open listeners whose last frame is more than 1 s old at the end of the window */
  readonly stalled: number;
  /** sockets the server closed during the window, by close code */
  readonly closes: Readonly<Record<string, number>>;
  /** the fewest frames one listener of the group received in the window (absent in older runs) */
  readonly minListenerFrames?: number;
  /** frames in the largest single seq gap one listener saw (absent in older runs) */
  readonly maxSeqGap?: number;
  /** the longest wait between two frames at one listener, ms: the silence its player had (absent in older runs) */
  readonly maxArrivalGapMs?: number;
}

export interface WindowReport {
  readonly wallMs: number;
  readonly groups: Readonly<Record<ListenerGroup, GroupReport>>;
  readonly loadgen: LoadgenCpu;
}

/** what the Icecast listeners saw (bench/icecast-delay.ts explains the delays and t0) */
export interface IcecastDelayReport {
  /** per page: arrival − (t0 + granule time), ms: relative to the best case the path achieved */
  readonly delay: DelaySummary;
  /** per Opus packet, adding its wait for the page to fill (as Amphi's frames wait for their batch), ms */
  readonly packetDelay: DelaySummary;
  /** per listener that joined in the last icecastOpen: the delay of its first audio page (how far behind live it starts), ms */
  readonly joinBacklog: DelaySummary;
  readonly pages: number;
  readonly packets: number;
  readonly bytes: number;
  /** pages missing between consecutive page sequence numbers of the same listener */
  readonly pagesLost: number;
  readonly duplicates: number;
  /** bytes skipped because they were not an Ogg page */
  readonly garbageBytes: number;
  /** t0 as a wall-clock time (ms since the epoch); null while the reference has seen no audio page */
  readonly t0: number | null;
}

export interface IcecastGroupReport extends IcecastDelayReport {
  readonly listeners: number;
  /** open listeners whose last page is older than the run's stall limit */
  readonly stalled: number;
  /** the listener that fixes t0 is still connected */
  readonly referenceConnected: boolean;
  /** connections Icecast ended during the window, by socket error or 'ended by the server' */
  readonly closes: Readonly<Record<string, number>>;
}

export interface IcecastWindowReport {
  readonly wallMs: number;
  readonly listeners: IcecastGroupReport;
  readonly loadgen: LoadgenCpu;
}

export interface StormBucket {
  readonly tMs: number;
  /** the bucket's real length (longer than asked when the generator's loop was held up) */
  readonly durMs: number;
  readonly started: number;
  readonly admitted: number;
  readonly failed: number;
  readonly baseP50Ms: number;
  readonly baseP99Ms: number;
  readonly baseLost: number;
}

export interface StormReport {
  readonly offered: number;
  readonly started: number;
  /** joins started per second as achieved by the generator (below `rate` = the generator was the limit) */
  readonly startedPerSec: number;
  readonly admitted: number;
  readonly admittedPerSec: number;
  readonly failed: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly joinToAudio: DelaySummary;
  readonly ticket: DelaySummary;
  /** joins the node put in its waiting line */
  readonly waited: number;
  /** time in line, for those that waited */
  readonly lineWait: DelaySummary;
  /** from the first join started to the last one settled */
  readonly wallMs: number;
  readonly timeline: readonly StormBucket[];
  readonly base: GroupReport;
  readonly loadgen: LoadgenCpu;
}

export type LoadgenAnswer =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string }
  | { readonly progress: number; readonly done: number; readonly total: number }
  /** sent once at start, when the generator listens for commands */
  | { readonly ready: true; readonly pid: number };
