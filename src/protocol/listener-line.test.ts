import { describe, expect, it } from 'vitest';
import { encodeLine, encodeWaiting, parseLineText, placeInLine } from './listener-line.ts';

describe('listener line messages', () => {
  it('round-trips both messages', () => {
    expect(parseLineText(encodeWaiting({ number: 12, position: 3, etaSeconds: 1 }))).toEqual({ type: 'waiting', number: 12, position: 3, etaSeconds: 1 });
    expect(parseLineText(encodeLine({ admittedUpTo: 9, waiting: 40, perSecond: 500 }))).toEqual({ type: 'line', admittedUpTo: 9, waiting: 40, perSecond: 500 });
  });

  it('ignores what is not one of them: bad JSON, other types, missing or negative or non-numeric fields', () => {
    for (const t of ['', 'nope', '[]', 'null', '{"type":"other"}', '{"type":"line","admittedUpTo":1,"waiting":1}', '{"type":"waiting","number":-1,"position":1,"etaSeconds":1}', '{"type":"line","admittedUpTo":"1","waiting":1,"perSecond":1}']) {
      expect(parseLineText(t)).toBeNull();
    }
  });

  it('works out a place from the line: null once reached, else the people ahead and the time at the line rate', () => {
    const line = { type: 'line', admittedUpTo: 100, waiting: 50, perSecond: 20 } as const;
    expect(placeInLine(100, line)).toBeNull();
    expect(placeInLine(99, line)).toBeNull();
    expect(placeInLine(141, line)).toEqual({ position: 41, etaSeconds: 3 });
    expect(placeInLine(101, { ...line, perSecond: 0 })).toEqual({ position: 1, etaSeconds: 1 });
  });
});
