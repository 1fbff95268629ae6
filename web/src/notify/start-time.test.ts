import { describe, expect, it } from 'vitest';
import { formatStart, fromLocalInput, suggestedStart, toLocalInput } from './start-time.ts';

describe('start-time', () => {
  it('turns a datetime-local value into ms and back on the same wall clock', () => {
    const ms = fromLocalInput('2026-11-24T18:30');
    expect(ms).not.toBeNull();
    expect(toLocalInput(ms ?? 0)).toBe('2026-11-24T18:30');
  });

  it('refuses a partial value or a day that does not exist', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-11-24')).toBeNull();
    expect(fromLocalInput('2026-02-31T10:00')).toBeNull();
  });

  it('shows one instant in each viewer\'s own time zone, naming the zone', () => {
    const at = Date.UTC(2026, 10, 24, 17, 30);
    expect(formatStart(at, { timeZone: 'UTC', locale: 'en-US' })).toBe('Tue, Nov 24, 5:30 PM UTC');
    expect(formatStart(at, { timeZone: 'Asia/Tokyo', locale: 'en-US' })).toBe('Wed, Nov 25, 2:30 AM GMT+9');
  });

  it('suggests a whole hour at least half an hour ahead', () => {
    const now = Date.UTC(2026, 10, 24, 17, 45, 10);
    const s = suggestedStart(now);
    expect(s - now).toBeGreaterThanOrEqual(30 * 60_000);
    expect(new Date(s).getMinutes()).toBe(0);
    expect(new Date(s).getSeconds()).toBe(0);
  });
});
