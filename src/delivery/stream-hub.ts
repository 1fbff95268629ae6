/**
 * @module stream-hub — listener delivery for every program stream on this node: per stream a ring of
 * recent frames (for resume), a batcher (encode once) and a fan-out (write the same bytes to all).
 * Knows frames and stream ids, never rooms or accounts. Publishing is the hot path: nothing per
 * listener but a backpressure check and a write; no timers at all: time comes from the injected clock.
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
import { PublishQueue, type PublishTarget } from './publish-queue.ts';
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
   * longer batches the more listeners the node has: every listener costs the kernel one write per
   * batch, so doubling the batch nearly doubles the listeners a core carries, for batchMs more delay.
   * Each level switches on at its `aboveListeners` and back off below 80% of it, so it does not flap
   * at the edge. A level's batchMs must not be shorter than the one below it; aboveListeners must grow.
   */
  readonly levels?: readonly BatchLevel[];
  /** listeners per shard: one shard's batch is written without letting the loop go (default 500) */
  readonly shardSize?: number;
  /** the publish queue shared by every stream of the node (default: one of its own) */
  readonly queue?: PublishQueue;
  /**
   * at most this many frames already sent that a listener joining live gets at once, in its first write
   * (default 0): one batch of the level in use, so its player starts on them instead of waiting up to a
   * batch for the next one, and learns from their length how far apart batches come. Encoded once per batch.
   */
  readonly primeFrames?: number;
}

/** a batch length the node uses from `aboveListeners` listeners on */
export interface BatchLevel {
  readonly batchMs: number;
  readonly aboveListeners: number;
}

/**
 * listeners per shard: ~500 writes of 5-8 µs each (a loopback write on the bench's VM) is 3-4 ms, so a
 * slice of the publish queue holds the loop a few ms, not a whole 100+ ms batch to 20,000 sockets
 */
export const DEFAULT_SHARD_SIZE = 500;

/** share of a level's threshold below which the node goes back to the shorter batch */
const LEVEL_DOWN_SHARE = 0.8;

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

/** a share of a stream's listeners whose batch is one job of the publish queue */
interface Shard extends PublishTarget {
  readonly fanout: Fanout;
  readonly index: number;
}

interface Stream {
  readonly ring: FrameRing;
  readonly batcher: Batcher;
  /** listeners in shards of at most shardSize; a shard emptied stays for the next joiners */
  readonly shards: Shard[];
  state: StreamState;
  /** the prime for joiners, encoded once for the last sent frame and the level's batch length */
  prime: { readonly seq: number; readonly frames: number; readonly batch: Uint8Array } | null;
}

/** Node Buffers, so `ws` writes each batch without wrapping it per socket. */
const allocBuffer = (size: number): Uint8Array => Buffer.allocUnsafe(size);
const toBuffer = (u: Uint8Array): Uint8Array => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const LEVEL_CHECK_MS = 1000;

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
  private readonly primeFrames: number;
  private readonly shardSize: number;
  private readonly queue: PublishQueue;
  private nextListenerId = 1;
  private readonly levels: readonly BatchLevel[];
  /** index into levels of the one in use, -1 for the base batchMs */
  private level = -1;
  /** draining: joiners are sent elsewhere (1001) while the listeners here are shed shard by shard */
  private draining = false;
  /** when the level check last counted listeners: at most every LEVEL_CHECK_MS, never per batch */
  private levelCheckedAt = Number.NEGATIVE_INFINITY;

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
    this.levels = options.levels ?? [];
    this.primeFrames = options.primeFrames ?? 0;
    this.shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
    if (!Number.isInteger(this.shardSize) || this.shardSize < 1) throw DeliveryError.invalidConfig(`shardSize must be a positive integer, got ${this.shardSize}`);
    this.queue = options.queue ?? new PublishQueue({ wall: this.now });
    if (!Number.isInteger(this.primeFrames) || this.primeFrames < 0 || this.primeFrames > this.ringFrames) {
      throw DeliveryError.invalidConfig(`primeFrames must be 0..${this.ringFrames}, got ${this.primeFrames}`);
    }
    new Batcher({ batchMs: this.batchMs }); // validates batchMs now rather than at the first openStream
    this.levels.forEach((l, i) => {
      new Batcher({ batchMs: l.batchMs });
      const below = i === 0 ? { batchMs: this.batchMs, aboveListeners: 0 } : this.levels[i - 1];
      if (below !== undefined && (l.batchMs < below.batchMs || l.aboveListeners <= below.aboveListeners)) {
        throw DeliveryError.invalidConfig(`batch levels must not shrink in batchMs and must grow in aboveListeners (level ${i}: ${l.batchMs} ms from ${l.aboveListeners})`);
      }
    });
  }

  /** Opens a stream in the 'waiting' state (listeners may join; audio starts with the first frame). */
  openStream(streamId: StreamId): void {
    if (this.streams.has(streamId)) throw DeliveryError.streamExists(streamId);
    this.streams.set(streamId, {
      ring: new FrameRing(this.ringFrames),
      batcher: new Batcher({ batchMs: this.currentBatchMs(), alloc: allocBuffer }),
      shards: [],
      state: 'waiting',
      prime: null,
    });
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
      for (const shard of s.shards) if (shard.fanout.size > 0) this.queue.push(shard, STATE_MESSAGES.live, 0, null);
      this.queue.run();
    }
    const batch = s.batcher.push(frame);
    if (batch !== null) this.send(s, batch);
    return true;
  }

  /**
   * Writes one room message (encodeRoomMessage: the room's state or tick) to every listener of a
   * stream, in the same queue as its audio, so it is spread over the loop like a batch and stays in
   * order with it. Listeners joining later are not sent it: they get the room as it is when they join.
   */
  publishRoom(streamId: StreamId, message: Uint8Array): void {
    const s = this.streams.get(streamId);
    if (s === undefined) return;
    for (const shard of s.shards) if (shard.fanout.size > 0) this.queue.push(shard, message, 0, null);
    this.queue.run();
  }

  /** Sends the frames a stream has pending now, without waiting for a full batch. */
  flush(streamId: StreamId): void {
    const s = this.streams.get(streamId);
    const batch = s?.batcher.flush() ?? null;
    if (s !== undefined && batch !== null) this.send(s, batch);
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
    if (this.draining) return this.refuse(socket, CLOSE_CODES.goingAway);
    const entry = new ListenerEntry(this.nextListenerId++, streamId, socket);
    const shard = this.shardFor(s);
    socket.send(STATE_MESSAGES[s.state]);
    this.counters.socketWrites++;
    const start = this.catchUp(s, shard, socket, options.resumeFromSeq ?? null);
    if (start === 'resumed') this.counters.joinsResumed++;
    else {
      this.counters.joinsLive++;
      if (this.primeFrames > 0 && s.state === 'live') this.prime(s, shard, socket);
    }
    entry.shard = shard.index;
    shard.fanout.add(entry);
    return { ok: true, handle: entry, start };
  }

  /** Detaches a listener (idempotent; call it when its socket closes). Does not close the socket. */
  removeListener(handle: ListenerHandle): void {
    if (!(handle instanceof ListenerEntry) || handle.detached) return;
    this.streams.get(handle.streamId)?.shards[handle.shard]?.fanout.remove(handle);
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
    // the last frames are written before the close frames, in order
    this.queue.drainAll();
    this.streams.delete(streamId);
    for (const shard of s.shards) shard.fanout.closeAll(code, reason);
  }

  /** From now on joiners are closed with 1001 (reconnect elsewhere); `shed` moves the listeners already here. */
  startDraining(): void {
    this.draining = true;
  }

  /**
   * Closes one shard's listeners (at most a shard's size) with 1001 after writing them everything sent
   * to the others, so each reconnects elsewhere and resumes above its last frame. Returns how many it
   * closed: 0 when no listener is left. Called at a pace by the drain, never all at once.
   */
  shed(): number {
    for (const [id, s] of this.streams) {
      const shard = s.shards.find((sh) => sh.fanout.size > 0);
      if (shard === undefined) continue;
      this.flush(id);
      this.queue.drainAll();
      const n = shard.fanout.size;
      shard.fanout.closeAll(CLOSE_CODES.goingAway, closeReason(CLOSE_CODES.goingAway));
      return n;
    }
    return 0;
  }

  /** Closes every stream, e.g. on shutdown with 1001 so listeners reconnect elsewhere. */
  closeAll(code: CloseCode): void {
    for (const id of [...this.streams.keys()]) this.closeStream(id, code);
  }

  stats(): DeliveryStats {
    return {
      ...this.counters,
      streams: this.streams.size,
      listeners: this.listenerCount(),
      batchMs: this.currentBatchMs(),
      publishBusyMs: this.queue.busyMs,
      publishDuty: this.queue.duty,
      publishSlices: this.queue.slices,
    };
  }

  /** share of wall time spent writing batches over the last second: near 1, delivery falls behind real time */
  deliveryDuty(): number {
    return this.queue.duty;
  }

  /** the batch length streams use now: that of the level the node's listener count is at */
  currentBatchMs(): number {
    return this.levels[this.level]?.batchMs ?? this.batchMs;
  }

  /** at most every LEVEL_CHECK_MS: which level is the node at? If that changed, every stream's next batch follows */
  private checkLevel(now: number): void {
    if (this.levels.length === 0 || now - this.levelCheckedAt < LEVEL_CHECK_MS) return;
    this.levelCheckedAt = now;
    const next = levelFor(this.levels, this.level, this.listenerCount());
    if (next === this.level) return;
    this.level = next;
    const ms = this.currentBatchMs();
    for (const s of this.streams.values()) s.batcher.setBatchMs(ms);
  }

  /** O(streams), not O(listeners): fan-outs drop slow listeners on their own, so they hold the truth. */
  listenerCount(): number {
    let n = 0;
    for (const id of this.streams.keys()) n += this.streamListenerCount(id);
    return n;
  }

  /** one stream's listeners (0 when it is not open): O(shards) */
  streamListenerCount(streamId: StreamId): number {
    let n = 0;
    for (const shard of this.streams.get(streamId)?.shards ?? []) n += shard.fanout.size;
    return n;
  }

  private send(s: Stream, batch: Uint8Array): void {
    this.counters.batchesEncoded++;
    const frames = s.batcher.framesPerBatch;
    const lastSeq = s.batcher.lastEmittedSeq;
    // empty shards too: their sentSeq must move in order with the jobs already queued for them
    for (const shard of s.shards) this.queue.push(shard, batch, frames, lastSeq);
    this.queue.run();
    this.checkLevel(this.now());
  }

  /** the first shard with room (joiners fill the earliest shards back up), else a new one */
  private shardFor(s: Stream): Shard {
    for (const shard of s.shards) if (shard.fanout.size < this.shardSize) return shard;
    const shard: Shard = { fanout: this.createFanout(this.policy, this.counters), index: s.shards.length, sentSeq: s.batcher.lastEmittedSeq, publish: (m, f, now) => shard.fanout.publish(m, f, now) };
    s.shards.push(shard);
    return shard;
  }

  /**
   * Catch-up and prime count from what the joiner's shard has been SENT, not what the batcher emitted:
   * the shard's queued jobs still carry the frames after its sentSeq, so nothing is missed or repeated.
   */
  private catchUp(s: Stream, shard: Shard, socket: ListenerSocket, resumeFromSeq: number | null): 'resumed' | 'live' {
    if (resumeFromSeq === null) return 'live';
    const sent = shard.sentSeq;
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

  /**
   * the last frames already sent, so the joiner's player can start now; no gap or repeat follows. One
   * batch of the level in use: a longer prime would tell the player batches are longer than they are
   */
  private prime(s: Stream, shard: Shard, socket: ListenerSocket): void {
    const sent = shard.sentSeq;
    const oldest = s.ring.oldestSeq;
    if (sent === null || oldest === null) return;
    const want = Math.min(this.primeFrames, s.batcher.framesPerBatch);
    if (s.prime?.seq !== sent || s.prime.frames !== want) {
      const frames = s.ring.range(Math.max(sent - want, oldest - 1), sent);
      if (frames === null || frames.length === 0) return;
      s.prime = { seq: sent, frames: want, batch: encodeAudioBatch(frames, allocBuffer) };
    }
    socket.send(s.prime.batch);
    this.counters.socketWrites++;
  }

  private refuse(socket: ListenerSocket, code: CloseCode): AddListenerResult {
    socket.close(code, closeReason(code));
    return { ok: false, code };
  }
}

/**
 * The level for `listeners` from level `current` (-1: the base batch): up to the highest level whose
 * threshold is reached, down past each level the count has fallen below 80% of. Pure, for the tests.
 */
export function levelFor(levels: readonly BatchLevel[], current: number, listeners: number): number {
  let next = current;
  while (next + 1 < levels.length && listeners >= (levels[next + 1] as BatchLevel).aboveListeners) next++;
  while (next >= 0 && listeners < (levels[next] as BatchLevel).aboveListeners * LEVEL_DOWN_SHARE) next--;
  return next;
}
