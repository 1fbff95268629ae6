import { describe, expect, it } from 'vitest';
import { asUserId } from '../domain/ids.ts';
import { FloorTracker } from './floor-tracker.ts';

const ANN = asUserId('ann');
const BOB = asUserId('bob');

describe('FloorTracker', () => {
  it('gives the floor to whoever spoke first and keeps it with them through the gaps between words', () => {
    const f = new FloorTracker(1500);
    expect(f.update([ANN], 0).floor).toEqual({ userId: ANN, since: 0 });
    expect(f.update([], 500).floor).toEqual({ userId: ANN, since: 0 });
    expect(f.update([ANN], 1000).floor).toEqual({ userId: ANN, since: 0 });
  });

  it('reports two people speaking at once, since when, and who held the floor before', () => {
    const f = new FloorTracker(1500);
    f.update([ANN], 0);
    const facts = f.update([ANN, BOB], 4000);
    expect(facts.floor).toEqual({ userId: ANN, since: 0 });
    expect(facts.overlap).toEqual({ userIds: [ANN, BOB], since: 4000 });
    expect(f.update([ANN, BOB], 6000).overlap?.since).toBe(4000);
  });

  it('passes the floor once the holder has paused longer than a gap between words', () => {
    const f = new FloorTracker(1500);
    f.update([ANN], 0);
    f.update([ANN, BOB], 1000);
    const facts = f.update([BOB], 3000);
    expect(facts.floor).toEqual({ userId: BOB, since: 1000 });
    expect(facts.overlap).toBeNull();
  });

  it('says nothing in a silent room', () => {
    expect(new FloorTracker().update([], 0)).toEqual({ floor: null, overlap: null });
  });
});
