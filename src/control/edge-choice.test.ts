import { describe, expect, it } from 'vitest';
import { chooseEdge, type EdgeLoad } from './edge-choice.ts';

const edge = (nodeId: string, audio: number, roomAudio = 0, extra: Partial<EdgeLoad> = {}): EdgeLoad => ({ nodeId, role: 'edge', capacity: 100, draining: false, audio, roomAudio, ...extra });
const pick = (self: EdgeLoad, others: EdgeLoad[]): string | null => chooseEdge(self, others)?.nodeId ?? null;

describe('chooseEdge', () => {
  it('names the asking node when it is alone (a single node, as before the cluster)', () => {
    expect(pick(edge('me', 50), [])).toBe('me');
  });

  it('prefers an edge already serving the room, the least loaded of them, over an idler edge without it', () => {
    const others = [edge('a', 10), edge('b', 60, 5), edge('c', 40, 1)];
    expect(pick(edge('me', 30), others)).toBe('c');
  });

  it('without an edge serving the room, takes the least loaded edge', () => {
    expect(pick(edge('me', 30), [edge('a', 10), edge('b', 20)])).toBe('a');
  });

  it('measures load against each edge’s capacity, not in listeners', () => {
    const small = edge('small', 40, 0, { capacity: 50 });
    const big = edge('big', 100, 0, { capacity: 1000 });
    expect(pick(edge('me', 90), [small, big])).toBe('big');
  });

  it('skips a full edge, even the only one serving the room', () => {
    expect(pick(edge('me', 30), [edge('full', 100, 100), edge('a', 50)])).toBe('me');
    expect(pick(edge('me', 100), [edge('full', 100, 100), edge('a', 50)])).toBe('a');
  });

  it('never names an edge that is draining, however idle: it is sending its own listeners away', () => {
    expect(pick(edge('me', 90), [edge('leaving', 0, 50, { draining: true }), edge('a', 60)])).toBe('a');
    expect(pick(edge('me', 0, 0, { draining: true }), [edge('a', 99)])).toBe('a');
    expect(chooseEdge(edge('me', 0, 0, { draining: true }), [])).toBeNull();
  });

  it('never names an origin: it takes no listeners', () => {
    expect(pick(edge('me', 0, 0, { role: 'origin' }), [edge('a', 90), edge('b', 50, 0, { role: 'all' })])).toBe('b');
    expect(pick(edge('me', 50), [edge('o', 0, 9, { role: 'origin' })])).toBe('me');
  });

  it('keeps a tie with the asking node, then with the smallest node id, whatever order the reports came in', () => {
    expect(pick(edge('me', 20), [edge('a', 20)])).toBe('me');
    expect(pick(edge('me', 90), [edge('z', 20), edge('b', 20), edge('k', 20)])).toBe('b');
  });

  it('answers null when no edge can take anyone: the asking node then answers with its own line', () => {
    expect(chooseEdge(edge('me', 100), [edge('a', 100), edge('o', 0, 0, { role: 'origin' })])).toBeNull();
    expect(chooseEdge(edge('me', 0, 0, { role: 'origin' }), [])).toBeNull();
  });

  it('treats a capacity of 0 as full rather than dividing by it', () => {
    expect(pick(edge('me', 50), [edge('zero', 0, 0, { capacity: 0 })])).toBe('me');
  });
});
