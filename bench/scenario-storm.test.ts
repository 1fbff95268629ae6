import { describe, expect, it } from 'vitest';
import { directUrlOf, listenerSeconds } from './scenario-storm.ts';

describe('listenerSeconds', () => {
  it('counts the listeners already in for the whole storm and each join from the middle of its bucket', () => {
    expect(listenerSeconds(100, [])).toBe(0);
    expect(listenerSeconds(100, [{ durMs: 1000, admitted: 0 }])).toBe(100);
    // 100 in for 2 s; 50 joined during the first second (half a second each on average), then stayed 1 s
    expect(listenerSeconds(100, [{ durMs: 1000, admitted: 50 }, { durMs: 1000, admitted: 0 }])).toBe(125 + 150);
  });
});

describe('directUrlOf', () => {
  it('turns the listener port ticket URL into the direct join URL of the same room', () => {
    expect(directUrlOf('http://127.0.0.1:8081/api/rooms/ab%20c/listen')).toBe('ws://127.0.0.1:8081/ws/listen?room=ab%20c');
  });
});
