/**
 * @module producer — the seam between control and whatever produces each room's program: the stage
 * peers (WebRTC receive, SFU forwarding), the jitter buffers, the mix, the Opus encode and the 20 ms
 * clock that drives them. Two implementations sit side by side: `StageRooms` runs them on the calling
 * thread, `ThreadProducer` runs the same `StageRooms` in a worker thread so that nothing the main thread
 * does (a fan-out burst to 20,000 sockets, a join storm, a GC pause) can delay a tick and cost the room
 * program time. Messages here are plain data (structured-clone safe); they speak of members, gates and
 * frames, never of roles, accounts or listeners.
 */
import type { StagePeerConfig } from './peer-config.ts';
import type { Gate } from './stage.ts';
import type { IceCandidateInit } from './stage-peer.ts';

/** what the program plane needs to know of one room, recomputed by control after every change */
export interface ProducerRoomSpec {
  /** frames are emitted only while live (backstage the mixer runs for level meters only) */
  readonly live: boolean;
  /** the seq of the room's next frame if its mixer has to be (re)created now */
  readonly firstSeq: number;
  /** stage members and what each may be heard by (the server-enforced mute); members not listed leave */
  readonly gates: Readonly<Record<string, Gate>>;
}

/** one 20 ms program frame of a room */
export interface ProducerFrame {
  readonly roomId: string;
  readonly seq: number;
  /** wall-clock ms when it was mixed */
  readonly captureTs: number;
  readonly opus: Uint8Array;
}

/** signaling the stage needs sent to one member's client */
export type MemberSignal =
  | { readonly type: 'rtcSlot'; readonly mid: string; readonly userId: string | null }
  | { readonly type: 'rtcCandidate'; readonly candidate: IceCandidateInit | null };

/** one stage member as the room's ear heard them over the last levels interval */
export interface MemberLevel {
  readonly id: string;
  /** RMS, full scale 1, for the "who is speaking" rings */
  readonly rms: number;
  /** sending sound that is not speech (stage-ear: noise-detector) */
  readonly noisy: boolean;
  /** their microphone returns what the stage sends them (stage-ear: echo-detector) */
  readonly echo: boolean;
}

export interface ProducerEvents {
  frame(frame: ProducerFrame): void;
  signal(roomId: string, memberId: string, signal: MemberSignal): void;
  /** each member's level and what the ear concludes of them, every levels interval */
  levels(roomId: string, levels: readonly MemberLevel[]): void;
  /** a room's clock fell so far behind that it dropped `ticks` 20 ms frames of program time */
  skipped(roomId: string, ticks: number): void;
  error(err: ProducerFailure, roomId: string | null): void;
}

/** a failure inside the producer, as plain data (it may have crossed a thread) */
export interface ProducerFailure {
  readonly name: string;
  readonly message: string;
  readonly reason?: string;
}

export interface ProducerStats {
  readonly rooms: number;
  readonly framesEmitted: number;
  readonly skippedTicks: number;
}

export interface ProgramProducer {
  /** opens the room's stage and mixer if needed and applies the spec: the next packet meets the new gates */
  update(roomId: string, spec: ProducerRoomSpec): void;
  close(roomId: string): void;
  /** a stage member's offer; resolves with the answer SDP. Rejects with a ProducerRejection. */
  publish(roomId: string, memberId: string, sdp: string): Promise<string>;
  candidate(roomId: string, memberId: string, candidate: IceCandidateInit | null): Promise<void>;
  unpublish(roomId: string, memberId: string): void;
  stats(): ProducerStats;
  shutdown(): Promise<void>;
}

export interface ProducerOptions {
  readonly peer: StagePeerConfig;
  readonly bitrate: number;
  /** how often members' levels are reported, ms */
  readonly levelsEveryMs?: number;
}

export const DEFAULT_LEVELS_EVERY_MS = 100;

/** why a publish or candidate was refused, so control can answer the member in its own words */
export class ProducerRejection extends Error {
  override readonly name = 'ProducerRejection';
  constructor(
    readonly reason: 'no-room' | 'not-on-stage' | 'bad-offer' | 'no-port' | 'stopped',
    message: string,
  ) {
    super(message);
  }
}

export function failureOf(err: unknown): ProducerFailure {
  if (err instanceof Error) {
    const reason = (err as { reason?: unknown }).reason;
    return { name: err.name, message: err.message, ...(typeof reason === 'string' && { reason }) };
  }
  return { name: 'Error', message: String(err) };
}
