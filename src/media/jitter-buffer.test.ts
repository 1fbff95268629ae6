import { describe, it, expect } from 'vitest';
import { JitterBuffer, type PopResult } from './jitter-buffer.ts';

const kinds = (jb: JitterBuffer<string>, n: number): string[] => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r: PopResult<string> = jb.pop();
    out.push(r.kind === 'packet' ? r.payload : r.kind);
  }
  return out;
};

describe('JitterBuffer', () => {
  it('holds packets until the target delay is reached, then plays one per pull', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 3 });
    jb.push(10, 'a');
    expect(jb.pop().kind).toBe('idle');
    jb.push(11, 'b');
    expect(jb.pop().kind).toBe('idle');
    jb.push(12, 'c');
    expect(kinds(jb, 3)).toEqual(['a', 'b', 'c']);
  });

  it('puts out-of-order packets back in sequence order', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 3 });
    jb.push(102, 'c');
    jb.push(100, 'a');
    jb.push(101, 'b');
    jb.push(104, 'e');
    jb.push(103, 'd');
    expect(kinds(jb, 5)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('orders correctly across the 16-bit sequence number wraparound', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2 });
    jb.push(0, 'c');
    jb.push(65534, 'a');
    jb.push(65535, 'b');
    jb.push(1, 'd');
    expect(kinds(jb, 4)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports a lost marker for a missing packet when later ones are waiting', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2 });
    jb.push(1, 'a');
    jb.push(2, 'b');
    jb.push(4, 'd');
    expect(kinds(jb, 1)).toEqual(['a']);
    expect(kinds(jb, 1)).toEqual(['b']);
    const lost = jb.pop();
    expect(lost).toEqual({ kind: 'lost', seq: 3 });
    expect(kinds(jb, 1)).toEqual(['d']);
  });

  it('drops duplicates and packets that arrive after their turn', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2 });
    jb.push(1, 'a');
    expect(jb.push(1, 'a2')).toBe('duplicate');
    jb.push(3, 'c');
    expect(kinds(jb, 2)).toEqual(['a', 'lost']);
    expect(jb.push(2, 'b-late')).toBe('late');
    expect(jb.push(3, 'c-dup')).toBe('duplicate');
    expect(kinds(jb, 1)).toEqual(['c']);
  });

  it('conceals an empty buffer without advancing, so a merely late packet still plays', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2, maxConcealFrames: 5 });
    jb.push(1, 'a');
    jb.push(2, 'b');
    expect(kinds(jb, 3)).toEqual(['a', 'b', 'lost']);
    expect(jb.push(3, 'c')).toBe('accepted');
    expect(kinds(jb, 1)).toEqual(['c']);
  });

  it('goes idle after maxConcealFrames empty pulls and primes afresh on the next packet', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2, maxConcealFrames: 3 });
    jb.push(1, 'a');
    jb.push(2, 'b');
    expect(kinds(jb, 2 + 3 + 2)).toEqual(['a', 'b', 'lost', 'lost', 'lost', 'idle', 'idle']);
    jb.push(40, 'x');
    expect(jb.pop().kind).toBe('idle'); // priming again: one packet is below the target
    jb.push(41, 'y');
    expect(kinds(jb, 2)).toEqual(['x', 'y']);
  });

  it('resyncs to a packet far from the playout point instead of waiting for the gap to fill', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2, resyncDistance: 100 });
    jb.push(1, 'a');
    jb.push(2, 'b');
    expect(kinds(jb, 1)).toEqual(['a']);
    expect(jb.push(5000, 'far')).toBe('resync');
    jb.push(5001, 'far2');
    expect(kinds(jb, 2)).toEqual(['far', 'far2']);
  });

  it('skips the oldest packets when the depth runs past target plus excess (fast sender clock)', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2, maxExcessFrames: 2 });
    for (let s = 0; s < 8; s++) jb.push(s, `p${s}`);
    // depth 8 > 2 + 2: skip to keep 2 frames of delay
    expect(kinds(jb, 2)).toEqual(['p6', 'p7']);
  });

  it('accepts a reordered earlier packet while priming and starts from it', () => {
    const jb = new JitterBuffer<string>({ targetDelayFrames: 2 });
    jb.push(11, 'b');
    jb.push(10, 'a');
    expect(kinds(jb, 2)).toEqual(['a', 'b']);
  });
});
