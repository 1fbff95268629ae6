import { describe, expect, it } from 'vitest';
import { PublishQueue, type PublishTarget } from './publish-queue.ts';

/** a target that records what it was sent and advances the fake clock by `costMs` per write */
class Shard implements PublishTarget {
  sentSeq: number | null = null;
  readonly got: string[] = [];
  constructor(
    private readonly name: string,
    private readonly clock: { t: number },
    private readonly costMs: number,
  ) {}
  publish(message: Uint8Array): void {
    this.got.push(`${this.name}:${message[0]}`);
    this.clock.t += this.costMs;
  }
}

const setup = (sliceMs = 8, costMs = 3) => {
  const clock = { t: 0 };
  const yields: (() => void)[] = [];
  const queue = new PublishQueue({ sliceMs, clock: () => clock.t, wall: () => clock.t, yieldLoop: (fn) => yields.push(fn) });
  const shards = ['a', 'b', 'c', 'd', 'e'].map((n) => new Shard(n, clock, costMs));
  const runYield = (): void => yields.shift()?.();
  return { clock, queue, shards, yields, runYield };
};

describe('PublishQueue', () => {
  it('writes a small batch at once, without letting the loop go', () => {
    const { queue, shards, yields } = setup();
    queue.push(shards[0]!, Uint8Array.of(1), 3, 10);
    queue.run();
    expect(shards[0]!.got).toEqual(['a:1']);
    expect(shards[0]!.sentSeq).toBe(10);
    expect(yields).toHaveLength(0);
    expect(queue.pending).toBe(0);
  });

  it('lets the loop go after sliceMs of writes and goes on from where it stopped, in order', () => {
    const { queue, shards, yields, runYield } = setup(8, 3);
    // a batch pushed while a drain is scheduled waits its turn: order is kept per shard and overall
    for (const s of shards) queue.push(s, Uint8Array.of(1), 3, 10);
    queue.run();
    // the run drains at once: a (3 ms), then b (6), c (9 >= 8: stop)
    expect(shards.map((s) => s.got.length)).toEqual([1, 1, 1, 0, 0]);
    expect(yields).toHaveLength(1);
    for (const s of shards) queue.push(s, Uint8Array.of(2), 3, 13);
    queue.run(); // a drain is already scheduled: nothing jumps the queue
    expect(queue.pending).toBe(7);
    runYield();
    runYield();
    runYield();
    expect(queue.pending).toBe(0);
    for (const s of shards) expect(s.got).toEqual([`${s.got[0]!.slice(0, 1)}:1`, `${s.got[0]!.slice(0, 1)}:2`]);
    for (const s of shards) expect(s.sentSeq).toBe(13);
    expect(queue.slices).toBe(3);
  });

  it('drainAll writes everything now, whatever it takes', () => {
    const { queue, shards } = setup(1, 3);
    for (const s of shards) queue.push(s, Uint8Array.of(7), 3, 1);
    queue.run();
    expect(queue.pending).toBeGreaterThan(0);
    queue.drainAll();
    expect(queue.pending).toBe(0);
    expect(shards.every((s) => s.got.length === 1)).toBe(true);
  });

  it('measures the share of time spent writing', () => {
    const { clock, queue, shards, runYield } = setup(8, 3);
    for (const s of shards) queue.push(s, Uint8Array.of(1), 3, 1); // 15 ms of writes
    queue.run();
    clock.t += 10; // the loop did other work before the slice after the yield
    runYield();
    clock.t = 1000;
    expect(queue.duty).toBeCloseTo(15 / 1000, 5);
  });
});
