import { describe, it, expect } from 'vitest';
import { DefaultBackpressurePolicy } from './backpressure.ts';
import { newCounters } from './delivery-stats.ts';
import { LoopFanout } from './fanout.ts';
import { ListenerEntry } from './listener-entry.ts';
import type { ListenerSocket } from './listener-socket.ts';
import { asStreamId } from './stream-id.ts';

/** A socket that keeps what it is sent in memory; `broken` makes it fail like a socket already torn down. */
class MemorySocket implements ListenerSocket {
  readonly sent: Uint8Array[] = [];
  closed: number | null = null;
  constructor(
    private readonly broken = false,
    public buffered = 0,
  ) {}
  send(buf: Uint8Array): void {
    if (this.broken) throw new Error('socket is closed');
    this.sent.push(buf);
  }
  bufferedAmount(): number {
    return this.buffered;
  }
  close(code: number): void {
    this.closed = code;
  }
}

const entry = (id: number, socket: ListenerSocket): ListenerEntry => new ListenerEntry(id, asStreamId('s'), socket);

describe('LoopFanout', () => {
  it('still delivers to every other listener when one socket throws, and drops and counts the broken one', () => {
    const counters = newCounters();
    const fanout = new LoopFanout(new DefaultBackpressurePolicy(), counters);
    const sockets = [new MemorySocket(), new MemorySocket(true), new MemorySocket()];
    const entries = sockets.map((s, i) => entry(i, s));
    for (const e of entries) fanout.add(e);
    const msg = Uint8Array.of(1);
    fanout.publish(msg, 3, 0);
    fanout.publish(msg, 3, 60);
    expect(sockets.map((s) => s.sent.length)).toEqual([2, 0, 2]);
    expect([counters.socketErrors, fanout.size, entries[1]?.detached, sockets[1]?.closed]).toEqual([1, 2, true, 1001]);
  });

  it('keeps every remaining listener reachable after removals in any order', () => {
    const fanout = new LoopFanout(new DefaultBackpressurePolicy(), newCounters());
    const sockets = Array.from({ length: 6 }, () => new MemorySocket());
    const entries = sockets.map((s, i) => entry(i, s));
    for (const e of entries) fanout.add(e);
    for (const i of [0, 5, 2]) fanout.remove(entries[i] as ListenerEntry);
    fanout.remove(entries[0] as ListenerEntry);
    fanout.publish(Uint8Array.of(1), 1, 0);
    expect(sockets.map((s) => s.sent.length)).toEqual([0, 1, 0, 1, 1, 0]);
    expect(fanout.size).toBe(3);
  });

  it('sends again to a skipped listener once its socket drains, restarting its slow clock', () => {
    const counters = newCounters();
    const fanout = new LoopFanout(new DefaultBackpressurePolicy({ maxBufferedBytes: 10, maxBehindMs: 100 }), counters);
    const s = new MemorySocket(false, 50);
    const e = entry(1, s);
    fanout.add(e);
    fanout.publish(Uint8Array.of(1), 3, 0);
    fanout.publish(Uint8Array.of(2), 3, 60);
    s.buffered = 0;
    fanout.publish(Uint8Array.of(3), 3, 120);
    s.buffered = 50;
    fanout.publish(Uint8Array.of(4), 3, 180);
    fanout.publish(Uint8Array.of(5), 3, 240);
    expect([s.sent.map((b) => b[0]), e.skippedFrames, counters.framesSkipped, s.closed]).toEqual([[3], 12, 12, null]);
    fanout.publish(Uint8Array.of(6), 3, 281);
    expect([s.closed, counters.slowCloses, e.detached]).toEqual([4008, 1, true]);
  });
});
