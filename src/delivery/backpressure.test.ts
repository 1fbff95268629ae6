import { describe, it, expect } from 'vitest';
import { DEFAULT_BACKPRESSURE_LIMITS, DefaultBackpressurePolicy } from './backpressure.ts';

describe('DefaultBackpressurePolicy', () => {
  const policy = new DefaultBackpressurePolicy({ maxBufferedBytes: 1000, maxBehindMs: 5000 });

  it('sends while the socket holds no more than the bound, whatever happened before', () => {
    expect(policy.verdict({ bufferedBytes: 0, skippedForMs: 0 })).toBe('send');
    expect(policy.verdict({ bufferedBytes: 1000, skippedForMs: 4000 })).toBe('send');
  });

  it('skips over the bound and closes once skipped for longer than maxBehindMs', () => {
    expect(policy.verdict({ bufferedBytes: 1001, skippedForMs: 0 })).toBe('skip');
    expect(policy.verdict({ bufferedBytes: 1001, skippedForMs: 5000 })).toBe('skip');
    expect(policy.verdict({ bufferedBytes: 1001, skippedForMs: 5001 })).toBe('close');
  });

  it('defaults to 64 KiB and 5 s', () => {
    expect(new DefaultBackpressurePolicy().limits).toEqual(DEFAULT_BACKPRESSURE_LIMITS);
    expect(DEFAULT_BACKPRESSURE_LIMITS).toEqual({ maxBufferedBytes: 65536, maxBehindMs: 5000 });
  });
});
