import { describe, expect, it } from 'vitest';
import { AdmissionLine, type AdmissionConfig } from './admission-line.ts';

const cfg: AdmissionConfig = { maxListeners: 3, joinsPerSecond: 10, maxWaiting: 5, maxLagMs: 200 };

describe('AdmissionLine', () => {
  it('admits at once while the node has room and rate to spare', () => {
    const line = new AdmissionLine(cfg, 0);
    expect(line.request(0, 0, 0)).toEqual({ kind: 'admit' });
    expect(line.request(1, 0, 0)).toEqual({ kind: 'admit' });
    expect(line.waiting).toBe(0);
  });

  it('at capacity, queues the next joins with rising positions and admits them in order as places free', () => {
    const line = new AdmissionLine(cfg, 0);
    const a = line.request(3, 0, 0);
    const b = line.request(3, 0, 0);
    expect(a).toMatchObject({ kind: 'wait', ticket: 1, position: 1 });
    expect(b).toMatchObject({ kind: 'wait', ticket: 2, position: 2 });
    expect(line.advance(3, 0, 100)).toBe(0);
    expect(line.isAdmitted(1)).toBe(false);
    expect(line.advance(2, 0, 200)).toBe(1);
    expect(line.isAdmitted(1)).toBe(true);
    expect(line.isAdmitted(2)).toBe(false);
    expect(line.advance(1, 0, 300)).toBe(2);
    expect(line.isAdmitted(2)).toBe(true);
  });

  it('a newcomer never jumps the line: while anyone waits, new joins wait too', () => {
    const line = new AdmissionLine(cfg, 0);
    line.request(3, 0, 0);
    expect(line.request(0, 0, 0)).toMatchObject({ kind: 'wait', ticket: 2 });
  });

  it('never admits faster than the join rate', () => {
    const line = new AdmissionLine({ ...cfg, maxListeners: 1000, joinsPerSecond: 5 }, 0);
    const verdicts = Array.from({ length: 8 }, () => line.request(0, 0, 0).kind);
    expect(verdicts.filter((k) => k === 'admit')).toHaveLength(5);
    expect(line.advance(0, 0, 0)).toBe(0);
    expect(line.advance(0, 0, 400)).toBe(2);
    expect(line.advance(0, 0, 1000)).toBe(3);
  });

  it('while the event loop lags, sends joins to the line and moves it at a tenth of the rate, never stopping it', () => {
    const line = new AdmissionLine({ ...cfg, maxListeners: 1000, joinsPerSecond: 100, maxWaiting: 1000 }, 0);
    for (let i = 0; i < 50; i++) expect(line.request(0, 500, 0)).toMatchObject({ kind: 'wait' });
    // a full bucket is not spent at once when the lag starts: at most a tenth of the rate
    expect(line.advance(0, 500, 0)).toBe(10);
    expect(line.advance(0, 500, 1000)).toBe(20);
    expect(line.advance(0, 500, 1500)).toBe(25);
    // the estimate follows the slower rate while lagging
    expect(line.rate).toBe(10);
    expect(line.eta(20)).toBe(2);
    // recovered: the full rate again
    expect(line.advance(0, 10, 2000)).toBe(50);
    expect(line.rate).toBe(100);
  });

  it('refuses with a retry time once even the line is full', () => {
    const line = new AdmissionLine(cfg, 0);
    for (let i = 0; i < 5; i++) expect(line.request(3, 0, 0).kind).toBe('wait');
    const v = line.request(3, 0, 0);
    expect(v.kind).toBe('full');
    expect(v.kind === 'full' && v.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('tells each waiting person an estimate from the rate', () => {
    const line = new AdmissionLine({ ...cfg, joinsPerSecond: 2, maxWaiting: 100 }, 0);
    const v = Array.from({ length: 7 }, () => line.request(3, 0, 0)).at(-1);
    expect(v).toMatchObject({ kind: 'wait', position: 7, etaSeconds: 4 });
  });

  it('rejects made-up tickets', () => {
    const line = new AdmissionLine(cfg, 0);
    expect(line.isAdmitted(0)).toBe(false);
    expect(line.isAdmitted(-1)).toBe(false);
    expect(line.isAdmitted(1.5)).toBe(false);
    expect(line.isAdmitted(1)).toBe(false);
  });
});
