/**
 * @module fanout-topic — the fan-out on uWebSockets.js topics: each stream is a topic, a listener
 * subscribes when added, and a batch is ONE publish call whose per-listener writes happen in native
 * code. uWS skips a subscriber whose buffer is above maxBackpressure (it must be configured with the
 * policy's maxBufferedBytes), so the hot path has no JavaScript per listener at all. The policy's other
 * half — closing a listener that stayed behind too long, and counting what it missed — runs in a sweep
 * at most once a second, off the per-batch path. A listener closed that way usually sees the connection
 * drop (1006) rather than 4008, since uWS cannot queue the close frame behind its full buffer; it was
 * skipped longer than the resume ring holds, so its reconnect starts at live either way. It must never write to a socket the owner has seen
 * close (socket-uws.ts guards that) and never let one listener's state stop a publish to the others.
 */
import { CLOSE_CODES, closeReason } from '../protocol/close-codes.ts';
import type { BackpressureContext, BackpressurePolicy } from './backpressure.ts';
import { DeliveryError } from './delivery-error.ts';
import type { DeliveryCounters } from './delivery-stats.ts';
import type { Fanout, FanoutFactory } from './fanout.ts';
import type { ListenerEntry } from './listener-entry.ts';
import { ListenerList } from './listener-list.ts';
import { UwsListenerSocket } from './socket-uws.ts';

/** publishes one binary message to every subscriber of a topic (uWS app.publish) */
export type TopicPublish = (topic: string, message: Uint8Array) => void;

/** how often the slow-listener sweep runs, ms */
export const SWEEP_EVERY_MS = 1000;

let nextTopic = 1;

export class TopicFanout implements Fanout {
  /** one topic per fan-out (per stream on this node), never reused */
  readonly topic = `stream/${nextTopic++}`;
  private readonly list = new ListenerList();
  private readonly ctx: { -readonly [K in keyof BackpressureContext]: BackpressureContext[K] } = { bufferedBytes: 0, skippedForMs: 0 };
  private lastSweep = -1;
  /** frames published since the last sweep: what a listener over the limit the whole time missed */
  private framesSinceSweep = 0;

  constructor(
    private readonly publishTo: TopicPublish,
    private readonly policy: BackpressurePolicy,
    private readonly counters: DeliveryCounters,
  ) {}

  get size(): number {
    return this.list.size;
  }

  add(entry: ListenerEntry): void {
    if (entry.index >= 0) return;
    if (!(entry.socket instanceof UwsListenerSocket)) throw DeliveryError.invalidConfig('the topic fan-out takes only uWebSockets.js sockets');
    entry.socket.subscribe(this.topic);
    this.list.add(entry);
  }

  remove(entry: ListenerEntry): void {
    if (this.list.remove(entry) && entry.socket instanceof UwsListenerSocket) entry.socket.unsubscribe(this.topic);
  }

  publish(message: Uint8Array, frames: number, now: number): void {
    if (this.list.size === 0) return;
    this.publishTo(this.topic, message);
    // uWS does not say how many it skipped; the sweep counts those, so writes here may overcount them
    this.counters.socketWrites += this.list.size;
    this.framesSinceSweep += frames;
    if (this.lastSweep < 0) this.lastSweep = now;
    else if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
  }

  closeAll(code: number, reason: string): void {
    for (const e of this.list.takeAll()) e.socket.close(code, reason);
  }

  /** the policy for listeners over the buffer limit: count what they missed, close those behind too long */
  private sweep(now: number): void {
    const frames = this.framesSinceSweep;
    this.framesSinceSweep = 0;
    this.lastSweep = now;
    const ctx = this.ctx;
    const entries = this.list.entries;
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (e === undefined) continue;
      ctx.bufferedBytes = e.socket.bufferedAmount();
      ctx.skippedForMs = e.skippingSince < 0 ? 0 : now - e.skippingSince;
      const verdict = this.policy.verdict(ctx);
      if (verdict === 'send') {
        e.skippingSince = -1;
      } else if (verdict === 'skip') {
        if (e.skippingSince < 0) e.skippingSince = now;
        e.skippedFrames += frames;
        this.counters.framesSkipped += frames;
      } else {
        this.counters.slowCloses++;
        this.remove(e);
        e.socket.close(CLOSE_CODES.tooSlow, closeReason(CLOSE_CODES.tooSlow));
      }
    }
  }
}

export function topicFanout(publishTo: TopicPublish): FanoutFactory {
  return (policy, counters) => new TopicFanout(publishTo, policy, counters);
}
