import { describe, expect, it } from 'vitest';
import { coreShareBetween, parseCoreLine } from './janus-core-stats.ts';
import type { PeerSample } from './janus-listener-peer.ts';
import type { JanusWindowReport } from './janus-protocol.ts';
import type { JanusStep } from './janus-result.ts';
import { bestOf, DEFAULT_JANUS_STEPS, limitOf, msPerListenerSecond, stepOk, stopAfter, summarizeWindow } from './janus-steps.ts';
import type { CpuUse } from './proc-stats.ts';

const sample = (at: number, packetsReceived: number, packetsLost = 0, jitter = 0.002, connected = true): PeerSample => ({ at, packetsReceived, packetsLost, jitter, connected });

describe('summarizeWindow', () => {
  it('counts each listener over its own sampled interval (50 packets a second at 20 ms)', () => {
    const w = summarizeWindow(
      [
        { start: sample(0, 100), end: sample(10_000, 600) },
        { start: sample(50, 0), end: sample(10_050, 499, 1, 0.004) },
      ],
      20,
    );
    expect(w).toMatchObject({ listeners: 2, connected: 2, packetsReceived: 999, packetsExpected: 1000, packetsLost: 1, behind: 0 });
    expect(w.jitterMsMean).toBeCloseTo(3);
    expect(w.jitterMsMax).toBeCloseTo(4);
  });

  it('calls a listener behind when it got more than 250 ms of audio less than the program sent', () => {
    // 10 s at 20 ms = 500 packets sent; 250 ms = 12.5 packets.
    const w = summarizeWindow(
      [
        { start: sample(0, 0), end: sample(10_000, 487) },
        { start: sample(0, 0), end: sample(10_000, 488) },
        { start: sample(0, 0), end: sample(10_000, 520) },
      ],
      20,
    );
    expect(w.behind).toBe(1);
  });

  it('counts a listener whose ICE dropped as held but not connected', () => {
    const w = summarizeWindow([{ start: sample(0, 0), end: sample(1000, 50, 0, 0, false) }], 20);
    expect(w).toMatchObject({ listeners: 1, connected: 0 });
  });

  it('is all zeros for no listener', () => {
    expect(summarizeWindow([], 20)).toMatchObject({ listeners: 0, packetsReceived: 0, jitterMsMean: 0 });
  });
});

const window = (over: Partial<JanusWindowReport> = {}): JanusWindowReport => ({
  wallMs: 10_000,
  listeners: 100,
  connected: 100,
  packetsReceived: 50_000,
  packetsExpected: 50_000,
  packetsLost: 0,
  behind: 0,
  jitterMsMean: 2,
  jitterMsMax: 5,
  keepaliveFailures: 0,
  eventLoopP99Ms: 12,
  ...over,
});

describe('stepOk', () => {
  it('is ok when every listener asked for is held, connected, fed and lost nothing', () => {
    expect(stepOk(100, window())).toBe(true);
  });

  it.each([
    ['a listener never connected', { listeners: 99, connected: 99 }],
    ['ICE dropped for one', { connected: 99 }],
    ['a packet was lost', { packetsLost: 1 }],
    ['one fell behind', { behind: 1 }],
    ['Janus dropped a session', { keepaliveFailures: 1 }],
    ['nothing arrived at all', { packetsReceived: 0 }],
  ])('is not ok when %s', (_why, over) => {
    expect(stepOk(100, window(over))).toBe(false);
  });
});

describe('limitOf', () => {
  const base = { janusCores: 0.5, loadgenCores: 0.5, janusCoreTaken: 0, loadgenCoreTaken: 0 };
  it('names the generator first when both cores are full, as fanout does', () => {
    expect(limitOf({ ...base, janusCores: 0.95, loadgenCores: 0.92 })).toBe('generator-cpu');
  });
  it('names the generator from 80% of its core: its listeners fall behind before it is full', () => {
    expect(limitOf({ ...base, loadgenCores: 0.8 })).toBe('generator-cpu');
    expect(limitOf({ ...base, loadgenCores: 0.79 })).toBe('none');
  });
  it("names Janus's core when it alone is full", () => {
    expect(limitOf({ ...base, janusCores: 0.9 })).toBe('server-cpu');
  });
  it('names contention when neither is full but others took a core', () => {
    expect(limitOf({ ...base, janusCoreTaken: 0.15 })).toBe('cpu-contention');
    expect(limitOf({ ...base, loadgenCoreTaken: 0.1 })).toBe('cpu-contention');
  });
  it('names nothing otherwise', () => {
    expect(limitOf(base)).toBe('none');
  });
});

const cpu = (cores: number): CpuUse => ({ userMs: cores * 5000, sysMs: cores * 5000, wallMs: 10_000, cores, userShare: 0.5 });

const step = (target: number, janusCores: number, over: Partial<JanusStep> = {}): JanusStep => ({
  target,
  listeners: target,
  connected: target,
  openFailures: {},
  openMs: 1000,
  wallMs: 10_000,
  janusCpu: cpu(janusCores),
  janusCoreOthersShare: 0,
  janusCoreStealShare: 0,
  janusRssKiB: 40_000,
  janusThreads: target + 13,
  rssPerListenerKiB: 100,
  loadgenCpu: cpu(0.5),
  loadgenCoreOthersShare: 0,
  loadgenEventLoopP99Ms: 12,
  packets: { received: target * 500, expected: target * 500, lost: 0, receivedPerListener: 500, lostPerListener: 0, receivedShare: 1, behind: 0, jitterMsMean: 2, jitterMsMax: 4 },
  keepaliveFailures: 0,
  listenersPerCore: target / janusCores,
  ok: true,
  limitedBy: 'none',
  ...over,
});

describe('stopAfter', () => {
  it('goes on while steps are served and no core is full', () => {
    expect(stopAfter(step(100, 0.4))).toBeNull();
  });
  it("stops at Janus's full core, saying every listener was still served", () => {
    expect(stopAfter(step(250, 0.93, { limitedBy: 'server-cpu' }))).toMatch(/Janus's core saturated at 250.*still served/);
  });
  it("stops at the generator's full core and says it was the limit", () => {
    expect(stopAfter(step(150, 0.6, { limitedBy: 'generator-cpu' }))).toMatch(/generator's core saturated.*not Janus/);
  });
  it('stops at a step not served, with what went wrong', () => {
    const s = step(300, 1, { ok: false, connected: 290, limitedBy: 'server-cpu' });
    expect(stopAfter(s)).toMatch(/^300 listeners were not all served \(290\/300 connected.*limit: server-cpu$/);
  });
});

describe('bestOf', () => {
  it("is the largest ok step's listeners per Janus core (fanout's rule)", () => {
    const r = bestOf([step(50, 0.2), step(100, 0.4), step(200, 0.95, { ok: false })]);
    expect(r.best?.target).toBe(100);
    expect(r.janusListenersPerCore).toBeCloseTo(250);
  });
  it('is null when no step was ok', () => {
    expect(bestOf([step(50, 0.2, { ok: false })])).toEqual({ best: null, janusListenersPerCore: null });
  });
});

describe('msPerListenerSecond and the default ramp', () => {
  it("gives a process's CPU per listener in ms per second", () => {
    expect(msPerListenerSecond(0.34, 200)).toBeCloseTo(1.7);
    expect(msPerListenerSecond(0.5, 0)).toBe(0);
  });
  it('ramps upward in distinct steps, far enough past where Janus saturated on this machine type', () => {
    expect([...DEFAULT_JANUS_STEPS].sort((a, b) => a - b)).toEqual([...DEFAULT_JANUS_STEPS]);
    expect(new Set(DEFAULT_JANUS_STEPS).size).toBe(DEFAULT_JANUS_STEPS.length);
    expect(DEFAULT_JANUS_STEPS.at(-1)).toBeGreaterThanOrEqual(600);
  });
});

describe('core counters', () => {
  const stat = 'cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 100 0 50 1000 0 5 5 20 0 0\ncpu1 300 10 40 900 0 0 0 0 0 0\n';
  it('reads a core line as busy and steal milliseconds', () => {
    expect(parseCoreLine(stat, 0, 100)).toEqual({ busyMs: 1600, stealMs: 200 });
    expect(parseCoreLine(stat, 1, 100)).toEqual({ busyMs: 3500, stealMs: 0 });
    expect(parseCoreLine(stat, 2, 100)).toBeNull();
  });
  it("gives the share of the window others took beyond the process's own time", () => {
    const s = coreShareBetween({ busyMs: 0, stealMs: 0, at: 0 }, { busyMs: 900, stealMs: 100, at: 1000 }, 700);
    expect(s.othersShare).toBeCloseTo(0.2);
    expect(s.stealShare).toBeCloseTo(0.1);
    expect(coreShareBetween(null, null, 5)).toEqual({ othersShare: 0, stealShare: 0 });
  });
});
