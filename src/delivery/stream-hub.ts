/**
 * @module stream-hub — listener delivery for every program stream on this node: per stream a ring of
 * recent frames (for resume) and one or more lanes, each a batcher (encode once) and a fan-out (write
 * the same bytes to all its listeners). Lanes batch at different phases, so a stream's listeners are
 * written to a share at a time, every 20 ms, instead of all at once every batch: each still gets one
 * message per batch, but the last listener's wait behind the others' writes shrinks by the lane count,
 * which is what lets a busy node use longer batches inside the delay budget. Knows frames and stream
 * ids, never rooms or accounts. Publishing is the hot path: nothing per listener but a backpressure
 * check and a write; no timers at all: time comes from the injected clock.
 */
import { Buffer } from 'node:buffer';
import { CLOSE_CODES, closeReason, type CloseCode } from '../protocol/close-codes.ts';
import {
  MAX_FRAMES_PER_BATCH,
  encodeAudioBatch,
  encodeStreamState,
  type AudioFrame,
  type StreamState,
} from '../protocol/listener-frame.ts';
import { DefaultBackpressurePolicy, type BackpressurePolicy } from './backpressure.ts';
import { Batcher, DEFAULT_BATCH_MS } from './batcher.ts';
import { DeliveryError } from './delivery-error.ts';
import { newCounters, type DeliveryStats } from './delivery-stats.ts';
import { loopFanout, type Fanout, type FanoutFactory } from './fanout.ts';
import { ListenerEntry, type ListenerHandle } from './listener-entry.ts';
import type { ListenerSocket } from './listener-socket.ts';
import { DEFAULT_RING_FRAMES, FrameRing } from './ring-buffer.ts';
import type { StreamId } from './stream-id.ts';

export interface StreamHubOptions {
  /** batch length, a multiple of 20 ms (default 60) */
  readonly batchMs?: number;
  /** frames kept per stream for resume (default 250 = 5 s) */
  readonly ringFrames?: number;
  readonly backpressure?: BackpressurePolicy;
  /** listeners this hub accepts over all streams before answering 4029 (default: no limit) */
  readonly maxListeners?: number;
  readonly now?: () => number;
  readonly createFanout?: FanoutFactory;
  /**
   * longer batches while the node is busy: every listener costs the kernel one write per batch, so
   * doubling the batch nearly doubles the listeners a core carries, for batchMs more delay. Switches on
   * at `aboveListeners` and back off below 80% of it, so it does not flap at the edge.
   */
  readonly busy?: { readonly batchMs: number; readonly aboveListeners: number };
  /**
   * lanes per stream (default 1): listeners are spread over them and lane i sends its batches at phase
   * i of the batch, so writes are spread over the batch instead of all at its end (lanesFor picks it)
   */
  readonly lanes?: number;
}

/**
 * lanes that spread writes evenly at both batch lengths: the least common multiple of their frame
 * counts (3 and 6 → 6; 3 and 8 → 24), at most 24, else the busy frame count
 */
export function lanesFor(batchMs: number, busyBatchMs: number): number {
  const a = batchMs / 20;
  const b = busyBatchMs / 20;
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  const lcm = (a * b) / gcd(a, b);
  return lcm <= MAX_LANES ? lcm : Math.min(MAX_LANES, Math.max(a, b));
}

export interface AddListenerOptions {
  /** the last seq the listener has; it gets the frames after it if the ring still holds them */
  readonly resumeFromSeq?: number | null;
}

export type AddListenerResult =
  | {
      readonly ok: true;
      readonly handle: ListenerHandle;
      /** resumed: no frame after resumeFromSeq is missed; live: starts at the next batch */
      readonly start: 'resumed' | 'live';
    }
  /** the hub already closed the socket with `code` */
  | { readonly ok: false; readonly code: CloseCode };

interface Lane {
  readonly batcher: Batcher;
  readonly fanout: Fanout;
}

interface Stream {
  readonly ring: FrameRing;
  readonly lanes: readonly Lane[];
  state: StreamState;
  /** frames published into the stream: the lanes' phases count from it */
  pushed: number;
}

/** Node Buffers, so `ws` writes each batch without wrapping it per socket. */
const allocBuffer = (size: number): Uint8Array => Buffer.allocUnsafe(size);
const toBuffer = (u: Uint8Array): Uint8Array => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const BUSY_CHECK_MS = 1000;
const MAX_LANES = 24;
/**
 * frames from now until lane i's next batch ends, `pushed` frames into the stream: lane i sends when
 * the stream's frame count reaches i + 1 modulo the batch's frames, so lanes sharing a phase send together
 */
const phaseOf = (lane: number, framesPerBatch: number, pushed: number): number => ((((lane - pushed) % framesPerBatch) + framesPerBatch) % framesPerBatch) + 1;

const STATE_MESSAGES: Readonly<Record<StreamState, Uint8Array>> = {
  waiting: toBuffer(encodeStreamState('waiting')),
  live: toBuffer(encodeStreamState('live')),
};

export class StreamHub {
  private readonly streams = new Map<StreamId, Stream>();
  private readonly counters = newCounters();
  private readonly batchMs: number;
  private readonly ringFrames: number;
  private readonly policy: BackpressurePolicy;
  private readonly maxListeners: number;
  private readonly now: () => number;
  private readonly createFanout: FanoutFactory;
  private readonly laneCount: number;
  private nextListenerId = 1;
  private readonly busyBatch: { readonly batchMs: number; readonly aboveListeners: number } | null;
  private isBusy = false;
  /** when the busy check last counted listeners: at most every BUSY_CHECK_MS, never per batch */
  private busyCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(options: StreamHubOptions = {}) {
    this.batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
    this.ringFrames = options.ringFrames ?? DEFAULT_RING_FRAMES;
    if (this.ringFrames > MAX_FRAMES_PER_BATCH) {
      throw DeliveryError.invalidConfig(`ringFrames ${this.ringFrames} exceeds one catch-up batch (${MAX_FRAMES_PER_BATCH})`);
    }
    this.policy = options.backpressure ?? new DefaultBackpressurePolicy();
    this.maxListeners = options.maxListeners ?? Number.POSITIVE_INFINITY;
    this.now = options.now ?? Date.now;
    this.createFanout = options.createFanout ?? loopFanout;
    this.busyBatch = options.busy ?? null;
    this.laneCount = options.lanes ?? 1;
    if (!Number.isInteger(this.laneCount) || this.laneCount < 1 || this.laneCount > MAX_LANES) {
      throw DeliveryError.invalidConfig(`lanes must be 1..${MAX_LANES}, got ${this.laneCount}`);
    }
    new Batcher({ batchMs: this.batchMs }); // validates batchMs now rather than at the first openStream
    if (this.busyBatch !== null) new Batcher({ batchMs: this.busyBatch.batchMs });
  }

  /** Opens a stream in the 'waiting' state (listeners may join; audio starts with the first frame). */
  openStream(streamId: StreamId): void {
    if (this.streams.has(streamId)) throw DeliveryError.streamExists(streamId);
    const batchMs = this.currentBatchMs();
    const frames = batchMs / 20;
    const lanes: Lane[] = [];
    for (let i = 0; i < this.laneCount; i++) {
      const firstBatchFrames = this.laneCount === 1 ? undefined : phaseOf(i, frames, 0);
      lanes.push({ batcher: new Batcher({ batchMs, alloc: allocBuffer, ...(firstBatchFrames !== undefined && { firstBatchFrames }) }), fanout: this.createFanout(this.policy, this.counters) });
    }
    this.streams.set(streamId, { ring: new FrameRing(this.ringFrames), lanes, state: 'waiting', pushed: 0 });
  }

  hasStream(streamId: StreamId): boolean {
    return this.streams.has(streamId);
  }

  /**
   * Takes the next program frame of a stream. Every batchMs of frames, one batch is encoded and written
   * to all its listeners. Returns false (and counts it) if the stream is not open. Seqs must increase
   * (DeliveryError otherwise). The ring keeps the frame for resumes: never reuse or change its bytes.
   */
  publishFrame(streamId: StreamId, frame: AudioFrame): boolean {
    const s = this.streams.get(streamId);
    if (s === undefined) {
      this.counters.framesForUnknownStream++;
      return false;
    }
    s.ring.push(frame);
    if (s.state === 'waiting') {
      s.state = 'live';
      const now = this.now();
      for (const lane of s.lanes) lane.fanout.publish(STATE_MESSAGES.live, 0, now);
    }
    s.pushed++;
    let sent = false;
    for (const lane of s.lanes) {
      // a lane nobody listens on keeps its phase and its place, but encodes nothing
      const batch = lane.batcher.push(frame, lane.fanout.size > 0);
      if (batch !== null) {
        this.send(lane, batch);
        sent = true;
      }
    }
    // after every lane took this frame, so a switch of batch length phases them all from the same count
    if (sent) this.checkBusy(this.now());
    return true;
  }

  /** Sends the frames a stream has pending now, without waiting for a full batch. */
  flush(streamId: StreamId): void {
    const s = this.streams.get(streamId);
    if (s === undefined) return;
    for (const lane of s.lanes) {
      const batch = lane.batcher.flush(lane.fanout.size > 0);
      if (batch !== null) this.send(lane, batch);
    }
  }

  /**
   * Attaches a listener. It is first told the stream state; then, when resuming from a seq the ring
   * still holds, it gets one catch-up batch of exactly the frames after that seq that were already sent
   * to others, then the shared batches: no gap, no duplicate. Otherwise it starts live. On refusal the
   * socket is closed here (4004 stream not found, 4029 over capacity).
   */
  addListener(streamId: StreamId, socket: ListenerSocket, options: AddListenerOptions = {}): AddListenerResult {
    const s = this.streams.get(streamId);
    if (s === undefined) {
      this.counters.joinsRejectedNoStream++;
      return this.refuse(socket, CLOSE_CODES.streamNotFound);
    }
    if (this.maxListeners !== Number.POSITIVE_INFINITY && this.listenerCount() >= this.maxListeners) {
      this.counters.joinsRejectedOverCapacity++;
      return this.refuse(socket, CLOSE_CODES.overCapacity);
    }
    // the emptiest lane keeps lanes even as people come and go (a few lanes: a scan is cheap)
    let lane = 0;
    for (let i = 1; i < s.lanes.length; i++) if ((s.lanes[i] as Lane).fanout.size < (s.lanes[lane] as Lane).fanout.size) lane = i;
    const chosen = s.lanes[lane] as Lane;
    const entry = new ListenerEntry(this.nextListenerId++, streamId, socket, lane);
    socket.send(STATE_MESSAGES[s.state]);
    this.counters.socketWrites++;
    const start = this.catchUp(s, chosen.batcher, socket, options.resumeFromSeq ?? null);
    if (start === 'resumed') this.counters.joinsResumed++;
    else this.counters.joinsLive++;
    chosen.fanout.add(entry);
    return { ok: true, handle: entry, start };
  }

  /** Detaches a listener (idempotent; call it when its socket closes). Does not close the socket. */
  removeListener(handle: ListenerHandle): void {
    if (!(handle instanceof ListenerEntry) || handle.detached) return;
    this.streams.get(handle.streamId)?.lanes[handle.lane]?.fanout.remove(handle);
    handle.detached = true;
  }

  /**
   * Ends a stream: sends what is pending, closes every listener with `code` (e.g. 4010 room ended) and
   * forgets the stream. Later frames for it are dropped and counted. Idempotent.
   */
  closeStream(streamId: StreamId, code: CloseCode, reason: string = closeReason(code)): void {
    const s = this.streams.get(streamId);
    if (s === undefined) return;
    this.flush(streamId);
    this.streams.delete(streamId);
    for (const lane of s.lanes) lane.fanout.closeAll(code, reason);
  }

  /** Closes every stream, e.g. on shutdown with 1001 so listeners reconnect elsewhere. */
  closeAll(code: CloseCode): void {
    for (const id of [...this.streams.keys()]) this.closeStream(id, code);
  }

  stats(): DeliveryStats {
    return { ...this.counters, streams: this.streams.size, listeners: this.listenerCount(), batchMs: this.currentBatchMs() };
  }

  /** the batch length streams use now: the busy one while the node is busy */
  currentBatchMs(): number {
    return this.isBusy && this.busyBatch !== null ? this.busyBatch.batchMs : this.batchMs;
  }

  /** at most every BUSY_CHECK_MS: is the node busy? If that changed, every stream's next batch follows */
  private checkBusy(now: number): void {
    const busy = this.busyBatch;
    if (busy === null || now - this.busyCheckedAt < BUSY_CHECK_MS) return;
    this.busyCheckedAt = now;
    const n = this.listenerCount();
    const next = this.isBusy ? n >= busy.aboveListeners * 0.8 : n >= busy.aboveListeners;
    if (next === this.isBusy) return;
    this.isBusy = next;
    const ms = this.currentBatchMs();
    const frames = ms / 20;
    // every lane moves to the new length at a phase of its own again
    for (const s of this.streams.values()) s.lanes.forEach((lane, i) => lane.batcher.setBatchMs(ms, s.lanes.length === 1 ? undefined : phaseOf(i, frames, s.pushed)));
  }

  /** O(streams × lanes), not O(listeners): fan-outs drop slow listeners on their own, so they hold the truth. */
  listenerCount(): number {
    let n = 0;
    for (const s of this.streams.values()) for (const lane of s.lanes) n += lane.fanout.size;
    return n;
  }

  private send(lane: Lane, batch: Uint8Array): void {
    this.counters.batchesEncoded++;
    const now = this.now();
    lane.fanout.publish(batch, lane.batcher.framesPerBatch, now);
  }

  private catchUp(s: Stream, batcher: Batcher, socket: ListenerSocket, resumeFromSeq: number | null): 'resumed' | 'live' {
    if (resumeFromSeq === null) return 'live';
    const sent = batcher.lastEmittedSeq;
    const newest = s.ring.newestSeq;
    if (sent === null || newest === null || resumeFromSeq > newest) return 'live';
    // From the pending frames on, the next shared batch carries what the listener needs; a seq inside
    // the pending frames (only possible across nodes) leaves duplicates the client drops by seq.
    if (resumeFromSeq >= sent) return 'resumed';
    const missed = s.ring.range(resumeFromSeq, sent);
    if (missed === null || missed.length === 0) return missed === null ? 'live' : 'resumed';
    socket.send(encodeAudioBatch(missed, allocBuffer));
    this.counters.catchUpBatches++;
    this.counters.socketWrites++;
    return 'resumed';
  }

  private refuse(socket: ListenerSocket, code: CloseCode): AddListenerResult {
    socket.close(code, closeReason(code));
    return { ok: false, code };
  }
}
