/**
 * @module bench/janus-protocol — the messages between the `janus` scenario (parent) and its WebRTC
 * listener generator (bench/janus-loadgen.ts) over Node IPC: commands with an id, one answer per id in
 * the shape the Amphi generator uses (bench/loadgen-protocol.ts), progress notes while opening. Plain
 * JSON-safe data only; no behaviour lives here.
 */
import type { JanusPeerKind } from './janus-listener-peer.ts';

export type JanusCommand =
  | {
      readonly id: number;
      readonly cmd: 'open';
      /** http://127.0.0.1:PORT/janus */
      readonly base: string;
      readonly mountpointId: number;
      /** which listener implementation (bench/janus-listener-peer.ts) */
      readonly peer: JanusPeerKind;
      readonly count: number;
      /** peers negotiating at once */
      readonly concurrency: number;
      /** a peer not connected by then failed */
      readonly timeoutMs: number;
    }
  | { readonly id: number; readonly cmd: 'windowStart' }
  | { readonly id: number; readonly cmd: 'windowEnd' }
  | { readonly id: number; readonly cmd: 'closeAll' };

export interface JanusOpenReport {
  readonly opened: number;
  readonly failed: number;
  /** failures by code (bench/janus-error.ts codes, or the fetch error's name) */
  readonly failures: Readonly<Record<string, number>>;
  readonly ms: number;
  /** peers held after this command */
  readonly total: number;
}

/** what the listeners heard in one window, from each peer's inbound-rtp stats at its start and end */
export interface JanusWindowReport {
  readonly wallMs: number;
  /** peers held through the window */
  readonly listeners: number;
  /** of them, connected at the end (wrtc: ICE connected; light: DTLS up and Janus heard from in the last 5 s) */
  readonly connected: number;
  readonly packetsReceived: number;
  /** packets the program sent while each peer was sampled (its own interval ÷ 20 ms), summed */
  readonly packetsExpected: number;
  /** the receivers' own count of sequence gaps (inbound-rtp packetsLost) */
  readonly packetsLost: number;
  /** peers that fell more than the budget (250 ms of audio) behind what the program sent in their interval */
  readonly behind: number;
  readonly jitterMsMean: number;
  readonly jitterMsMax: number;
  /** keepalives Janus refused in the window (a refused one means it dropped the session) */
  readonly keepaliveFailures: number;
  /** the generator's own event-loop delay p99, ms: high means its samples came late, not Janus */
  readonly eventLoopP99Ms: number;
}
