/**
 * @module bench/janus-result — the shape of what the `janus` scenario measured, for
 * docs/benchmarks.json beside Amphi's fanout: per step, the listeners Janus held, its CPU (user and
 * system, all threads) and RSS, what each listener received and lost, the generator's own CPU (and which
 * kind of listener it ran), whether
 * the step was ok and what limited it; and `janusListenersPerCore`, computed by Amphi's fanout rule.
 * Every number in it comes from a run; nothing here computes or invents a figure.
 */
import type { JanusPeerKind } from './janus-listener-peer.ts';
import type { CpuUse, Machine } from './proc-stats.ts';
import type { Limit } from './results.ts';

export interface JanusPackets {
  /** summed over listeners, during the window */
  readonly received: number;
  /** what the program sent during each listener's sampled interval (50 packets/s), summed */
  readonly expected: number;
  /** sequence gaps the receivers counted (inbound-rtp packetsLost) */
  readonly lost: number;
  readonly receivedPerListener: number;
  readonly lostPerListener: number;
  /** received ÷ expected (1.0 = every packet the program sent arrived) */
  readonly receivedShare: number;
  /** listeners that fell more than 250 ms of audio behind what was sent over the window (Amphi's fanout
   * budget for p99 delay; without timestamps in the stream, a growing backlog is the delay we can see) */
  readonly behind: number;
  readonly jitterMsMean: number;
  readonly jitterMsMax: number;
}

export interface JanusStep {
  readonly target: number;
  /** WebRTC listeners held through the window */
  readonly listeners: number;
  /** of them, connected at the window's end (wrtc: ICE connected; light: DTLS up and Janus heard from in the last 5 s) */
  readonly connected: number;
  /** listeners that never connected while ramping to this step, by error code */
  readonly openFailures: Readonly<Record<string, number>>;
  readonly openMs: number;
  readonly wallMs: number;
  /** Janus's process, all threads (from /proc/PID/stat) */
  readonly janusCpu: CpuUse;
  /** share of the window Janus's core ran other processes (a busy shared machine), from /proc/stat */
  readonly janusCoreOthersShare: number;
  /** share of the window the hypervisor took Janus's (virtual) core */
  readonly janusCoreStealShare: number;
  readonly janusRssKiB: number;
  readonly janusThreads: number;
  /** (RSS − idle RSS) ÷ listeners */
  readonly rssPerListenerKiB: number;
  /** the listener generator's process (with wrtc listeners, their native threads included) */
  readonly loadgenCpu: CpuUse;
  /** share of the window the generator's core ran other processes (the bench itself and ffmpeg among them) */
  readonly loadgenCoreOthersShare: number;
  readonly loadgenEventLoopP99Ms: number;
  readonly packets: JanusPackets;
  /** keepalives Janus refused during the window */
  readonly keepaliveFailures: number;
  /** listeners ÷ Janus cores used in the window */
  readonly listenersPerCore: number;
  /** every listener connected and held, none behind, no packet lost, no keepalive refused */
  readonly ok: boolean;
  readonly limitedBy: Limit;
}

export interface JanusResult {
  readonly scenario: 'janus';
  readonly date: string;
  readonly machine: Machine;
  /** machine load (1-minute average) before the run: a shared machine makes every figure pessimistic */
  readonly loadAverage: number;
  readonly janusVersion: string;
  /** the listeners' implementation; absent in runs made before the light listener existed (they used wrtc) */
  readonly peer?: JanusPeerKind;
  readonly serverCore: number | null;
  readonly loadgenCore: number | null;
  readonly windowMs: number;
  readonly settleMs: number;
  /** the program every listener receives: the same as Amphi's */
  readonly program: { readonly codec: 'opus'; readonly kbps: number; readonly frameMs: number };
  /** Janus with the feeder running and no listener */
  readonly idle: { readonly cpu: CpuUse; readonly rssKiB: number; readonly threads: number };
  readonly steps: readonly JanusStep[];
  /** the largest ok step */
  readonly best: JanusStep | null;
  /** best.listeners ÷ Janus cores used at that step (Amphi's fanout rule); null if no step was ok */
  readonly janusListenersPerCore: number | null;
  readonly stopReason: string;
}
