import { describe, it, expect } from 'vitest';
import { CLOSE_CODES, closeCodeInfo, closeReason, isTerminalCloseCode } from './close-codes.ts';

describe('close codes', () => {
  it('say stop for bad token, not found, room ended and removed, and retry for the rest', () => {
    expect([4001, 4004, 4010, 4011].map(isTerminalCloseCode)).toEqual([true, true, true, true]);
    expect([4002, 4008, 4029, 1001, 1006, 1000, 1011].map(isTerminalCloseCode)).toEqual([false, false, false, false, false, false, false]);
  });

  it('give every code a reason short enough for a WebSocket close frame and its own name', () => {
    for (const [name, code] of Object.entries(CLOSE_CODES)) {
      expect(closeCodeInfo(code).name).toBe(name);
      expect(new TextEncoder().encode(closeReason(code)).byteLength).toBeLessThanOrEqual(123);
    }
  });
});
