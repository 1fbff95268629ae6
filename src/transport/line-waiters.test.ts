import { describe, expect, it } from 'vitest';
import { LineWaiters } from './line-waiters.ts';

describe('line waiters', () => {
  it('lets in exactly the numbers up to K, in number order, even when they arrived out of order', () => {
    const w = new LineWaiters<string>();
    for (const n of [1, 2, 4, 3, 5]) w.add(n, `#${n}`);
    expect(w.takeUpTo(3)).toEqual(['#1', '#2', '#3']);
    expect(w.size).toBe(2);
    expect(w.takeUpTo(3)).toEqual([]);
    expect(w.takeUpTo(10)).toEqual(['#4', '#5']);
    expect(w.size).toBe(0);
  });

  it('skips those who left while waiting and counts only those still there', () => {
    const w = new LineWaiters<number>();
    const a = w.add(1, 1);
    w.add(2, 2);
    const c = w.add(3, 3);
    w.remove(a);
    w.remove(a);
    w.remove(c);
    expect(w.size).toBe(1);
    expect(w.takeUpTo(3)).toEqual([2]);
    expect(w.size).toBe(0);
  });

  it('a waiter taken in cannot be removed again (its socket closing later changes nothing)', () => {
    const w = new LineWaiters<number>();
    const a = w.add(1, 1);
    expect(w.takeUpTo(1)).toEqual([1]);
    w.remove(a);
    expect(w.size).toBe(0);
  });

  it('keeps working across many takes (the taken prefix is dropped now and then)', () => {
    const w = new LineWaiters<number>();
    let taken = 0;
    for (let n = 1; n <= 5000; n++) {
      w.add(n, n);
      if (n % 7 === 0) taken += w.takeUpTo(n - 3).length;
    }
    taken += w.takeUpTo(5000).length;
    expect(taken).toBe(5000);
    expect(w.size).toBe(0);
  });
});
