/**
 * @module admission.test — what the waiting line tells its clients, as docs/protocol.md says: one
 * shared `line` message whenever admittedUpTo, waiting or perSecond changes, and nothing on a tick that
 * changed none of them (never the same bytes twice in a row).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseLineText } from '../protocol/listener-line.ts';
import { Admission } from './admission.ts';

let admission: Admission | null = null;
afterEach(() => admission?.stop());

function line(listeners: { n: number }) {
  const sent: string[] = [];
  admission = new Admission({
    config: { maxListeners: 2, joinsPerSecond: 100, maxWaiting: 100, maxLagMs: 60_000 },
    secret: 'a test secret of some length',
    now: () => 1_000_000,
    listeners: () => listeners.n,
    broadcast: (text) => sent.push(text),
  });
  return { a: admission, sent, last: () => parseLineText(sent.at(-1) ?? '') };
}

describe('the line messages', () => {
  it('are sent when the crowd changes though the line has not moved, when it moves, and not when nothing changed', () => {
    const listeners = { n: 2 };
    const { a, sent, last } = line(listeners);
    a.check(null);
    a.check(null);
    a.tick();
    expect(last()).toEqual({ type: 'line', admittedUpTo: 0, waiting: 2, perSecond: 100 });
    a.tick();
    a.tick();
    expect(sent).toHaveLength(1);
    // someone joins behind: the place of those waiting is the same, the crowd is not
    a.check(null);
    a.tick();
    expect(sent).toHaveLength(2);
    expect(last()).toEqual({ type: 'line', admittedUpTo: 0, waiting: 3, perSecond: 100 });
    // a seat frees up: the line moves
    listeners.n = 1;
    a.tick();
    expect(last()).toEqual({ type: 'line', admittedUpTo: 1, waiting: 2, perSecond: 100 });
    expect(new Set(sent).size).toBe(sent.length);
  });
});
