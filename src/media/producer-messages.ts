/**
 * @module producer-messages — what crosses between the main thread and the program producer's worker
 * thread: commands one way, events and replies the other. Plain data only (structured clone); every
 * request that needs an answer carries an id and gets exactly one reply.
 */
import type { MemberLevel, MemberSignal, ProducerFailure, ProducerFrame, ProducerOptions, ProducerRejection, ProducerRoomSpec } from './producer.ts';
import type { IceCandidateInit } from './stage-peer.ts';

export type ProducerCommand =
  | { readonly op: 'update'; readonly roomId: string; readonly spec: ProducerRoomSpec }
  | { readonly op: 'close'; readonly roomId: string }
  | { readonly op: 'publish'; readonly id: number; readonly roomId: string; readonly memberId: string; readonly sdp: string }
  | { readonly op: 'candidate'; readonly id: number; readonly roomId: string; readonly memberId: string; readonly candidate: IceCandidateInit | null }
  | { readonly op: 'unpublish'; readonly roomId: string; readonly memberId: string }
  | { readonly op: 'shutdown'; readonly id: number };

export type ProducerReply =
  | { readonly ev: 'reply'; readonly id: number; readonly ok: true; readonly value: string | null }
  | { readonly ev: 'reply'; readonly id: number; readonly ok: false; readonly reason: ProducerRejection['reason']; readonly message: string };

export type ProducerEvent =
  | { readonly ev: 'ready' }
  | { readonly ev: 'frame'; readonly frame: ProducerFrame }
  | { readonly ev: 'signal'; readonly roomId: string; readonly memberId: string; readonly signal: MemberSignal }
  | { readonly ev: 'levels'; readonly roomId: string; readonly levels: readonly MemberLevel[] }
  | { readonly ev: 'skipped'; readonly roomId: string; readonly ticks: number }
  | { readonly ev: 'error'; readonly failure: ProducerFailure; readonly roomId: string | null }
  | ProducerReply;

/** what the worker is started with (workerData) */
export interface ProducerWorkerData {
  readonly options: ProducerOptions;
}
