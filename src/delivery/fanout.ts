/**
 * @module fanout — writes one shared message to every listener of a stream: the hot path. The loop
 * version here asks the backpressure policy per listener and writes the SAME buffer to each, with no
 * allocation, closure or timer per listener. A uWebSockets.js version implements the same interface
 * with a topic per stream (subscribe in add, app.publish in publish, its maxBackpressure and
 * closeOnBackpressureLimit standing in for the policy), so fan-out runs in native code.
 * It must never let one listener's socket delay or break delivery to another.
 */
import { CLOSE_CODES, closeReason } from '../protocol/close-codes.ts';
import type { BackpressureContext, BackpressurePolicy } from './backpressure.ts';
import type { DeliveryCounters } from './delivery-stats.ts';
import type { ListenerEntry } from './listener-entry.ts';
import { ListenerList } from './listener-list.ts';

export interface Fanout {
  readonly size: number;
  add(entry: ListenerEntry): void;
  /** Takes the listener out (idempotent); does not close its socket. */
  remove(entry: ListenerEntry): void;
  /** Writes `message` (carrying `frames` audio frames, 0 for a notice) to every listener. */
  publish(message: Uint8Array, frames: number, now: number): void;
  /** Closes every listener's socket with `code` and empties the fan-out. */
  closeAll(code: number, reason: string): void;
}

export type FanoutFactory = (policy: BackpressurePolicy, counters: DeliveryCounters) => Fanout;

export class LoopFanout implements Fanout {
  private readonly list = new ListenerList();
  /** one context reused for every verdict so the loop allocates nothing */
  private readonly ctx: { -readonly [K in keyof BackpressureContext]: BackpressureContext[K] } = {
    bufferedBytes: 0,
    skippedForMs: 0,
  };

  constructor(
    private readonly policy: BackpressurePolicy,
    private readonly counters: DeliveryCounters,
  ) {}

  get size(): number {
    return this.list.size;
  }

  add(entry: ListenerEntry): void {
    this.list.add(entry);
  }

  remove(entry: ListenerEntry): void {
    this.list.remove(entry);
  }

  publish(message: Uint8Array, frames: number, now: number): void {
    const entries = this.list.entries;
    const ctx = this.ctx;
    const counters = this.counters;
    // Backwards, so a listener removed mid-loop (swap with last) never makes us skip another.
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (e === undefined) continue;
      try {
        ctx.bufferedBytes = e.socket.bufferedAmount();
        ctx.skippedForMs = e.skippingSince < 0 ? 0 : now - e.skippingSince;
        const verdict = this.policy.verdict(ctx);
        if (verdict === 'send') {
          e.skippingSince = -1;
          e.socket.send(message);
          counters.socketWrites++;
        } else if (verdict === 'skip') {
          if (e.skippingSince < 0) e.skippingSince = now;
          e.skippedFrames += frames;
          counters.framesSkipped += frames;
        } else {
          counters.slowCloses++;
          this.remove(e);
          e.socket.close(CLOSE_CODES.tooSlow, closeReason(CLOSE_CODES.tooSlow));
        }
      } catch {
        // A socket that throws is broken for good: count it and let it go, so the others still get the batch.
        counters.socketErrors++;
        this.remove(e);
        this.closeQuietly(e);
      }
    }
  }

  closeAll(code: number, reason: string): void {
    for (const e of this.list.takeAll()) this.closeQuietly(e, code, reason);
  }

  private closeQuietly(e: ListenerEntry, code: number = CLOSE_CODES.goingAway, reason = 'socket error'): void {
    try {
      e.socket.close(code, reason);
    } catch {
      // Closing a socket that already failed may throw again; it is gone either way, and counted.
      this.counters.socketErrors++;
    }
  }
}

export const loopFanout: FanoutFactory = (policy, counters) => new LoopFanout(policy, counters);
