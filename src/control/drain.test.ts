/** drain: paced shards, joiners refused from the start, stops when empty or at the deadline */
import { describe, expect, it } from 'vitest';
import { drain, type Drainable } from './drain.ts';

function fakeNode(listeners: number, shard: number): Drainable & { log: string[] } {
  let left = listeners;
  const log: string[] = [];
  return {
    log,
    startDraining: () => log.push('draining'),
    shed: () => {
      const n = Math.min(shard, left);
      left -= n;
      log.push(`shed ${n}`);
      return n;
    },
    listenerCount: () => left,
  };
}

describe('drain', () => {
  it('refuses joiners first, then sheds a shard per pause until nobody is left', async () => {
    const node = fakeNode(1200, 500);
    const r = await drain(node, { pauseMs: 1 });
    expect(node.log).toEqual(['draining', 'shed 500', 'shed 500', 'shed 200', 'shed 0']);
    expect(r).toMatchObject({ moved: 1200, left: 0 });
  });

  it('stops at the deadline and says how many were left', async () => {
    const node = fakeNode(5000, 500);
    let t = 0;
    const r = await drain(node, { pauseMs: 1, deadlineMs: 2, now: () => t++ });
    expect(r.left).toBeGreaterThan(0);
    expect(r.moved + r.left).toBe(5000);
  });
});
