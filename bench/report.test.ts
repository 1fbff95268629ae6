/**
 * @module bench/report.test — the report keeps to what was measured: the headline comes from the
 * largest fanout step that met the budget, unmeasured figures are null with a note, a run of one
 * scenario keeps the others, and the markdown names each run's command. Also the ramp's cap at the
 * open-files limit and how a window's limit is judged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_SUMMARY } from './histogram.ts';
import type { GroupReport } from './loadgen-protocol.ts';
import { readRuns, medianRssGrowthKiB, summarize, withResult } from './report-json.ts';
import { renderMarkdown } from './report-md.ts';
import type { FanoutResult, FanoutStep, RunInfo, Window } from './results.ts';
import { limitOf, reachableSteps } from './scenario-fanout.ts';

const info: RunInfo = {
  command: 'npm run bench -- fanout --listeners 100,200',
  date: '2026-01-02T03:04:05.000Z',
  batchMs: 60,
  serverEnv: {},
  serverCore: 0,
  loadgenCore: 1,
  machine: { nproc: 2, cpuModel: 'Test CPU', ramGiB: 8, kernel: '6.1', node: 'v20.20.2' },
  openFiles: 20_000,
  loadAverage: 0.5,
};

const group = (listeners: number, p99: number, lost = 0): GroupReport => ({
  listeners,
  delay: { ...EMPTY_SUMMARY, count: 100, p50: p99 / 2, p99, max: p99 + 1 },
  frames: 100,
  messages: 34,
  bytes: 9000,
  framesLost: lost,
  duplicates: 0,
  malformed: 0,
  stalled: 0,
  closes: {},
});

const window = (listeners: number, p99: number, cores: number, generatorCores = 0.2): Window => ({
  wallMs: 10_000,
  serverCpu: { userMs: 1000 * cores, sysMs: 9000 * cores, wallMs: 10_000, cores, userShare: 0.1 },
  serverRunQueueShare: 0,
  loadgenRunQueueShare: 0,
  serverRssKiB: 100_000 + listeners,
  eventLoop: { p99Ms: 3, maxMs: 8, meanMs: 1 },
  loadgen: { userMs: 1, sysMs: 1, cores: generatorCores, eventLoopP99Ms: 2 },
  base: group(listeners, p99),
  slow: group(0, 0),
});

const step = (listeners: number, p99: number, cores: number, ok: boolean): FanoutStep => ({
  target: listeners,
  connected: listeners,
  openFailures: {},
  openMs: 100,
  window: window(listeners, p99, cores),
  rssPerListenerKiB: 1,
  listenersPerCore: listeners / cores,
  ok,
  limitedBy: 'none',
});

const fanout: FanoutResult = {
  scenario: 'fanout',
  ...info,
  p99BudgetMs: 250,
  idle: { rssKiB: 100_000, cpu: window(0, 0, 0.05).serverCpu, eventLoop: null },
  steps: [step(100, 50, 0.1, true), step(200, 80, 0.25, true), step(400, 900, 0.9, false)],
  best: step(200, 80, 0.25, true),
  stopReason: '400 listeners missed the budget',
};

describe('benchmarks.json', () => {
  it('takes the headline from the best fanout step and leaves what was not measured null, with a note', () => {
    const j = summarize({ fanout });
    expect(j).toMatchObject({ listenersPerCore: 800, p99DelayMs: 80, framesLost: 0, userCpuShare: 0.1, batchMs: 60, date: info.date });
    expect(j.joinsPerSecond).toBeNull();
    expect(j.icecastListenersPerCore).toBeNull();
    expect(j.janusListenersPerCore).toBeNull();
    expect(j.notes['janusListenersPerCore']).toMatch(/not measured/);
  });

  it('has no listeners-per-core figure when no step met the budget, and says why', () => {
    const j = summarize({ fanout: { ...fanout, best: null } });
    expect(j.listenersPerCore).toBeNull();
    expect(j.notes['listenersPerCore']).toContain('400 listeners missed the budget');
  });

  it('keeps the other scenarios when one is run again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const file = join(dir, 'benchmarks.json');
    writeFileSync(file, JSON.stringify(summarize({ fanout })));
    const runs = readRuns(file);
    expect(runs.fanout?.command).toBe(info.command);
    const again = withResult(runs, { ...fanout, command: 'npm run bench -- fanout --duration 5' });
    expect(again.fanout?.command).toBe('npm run bench -- fanout --duration 5');
  });
});

describe('benchmarks.md', () => {
  it('gives each scenario its command, machine and date, and marks the step that missed', () => {
    const md = renderMarkdown(summarize({ fanout }), []);
    expect(md).toContain(info.command);
    expect(md).toContain('Test CPU');
    expect(md).toContain(info.date);
    expect(md).toContain('**no**');
    expect(md).toContain('Not run yet: `npm run bench -- storm`');
  });
});

describe('fanout ramp', () => {
  it('caps steps below the open-files limit and says so', () => {
    expect(reachableSteps([1000, 20_000, 50_000], 20_000)).toEqual({ steps: [1000, 19_500], capped: true });
    expect(reachableSteps([1000, 2000], 20_000)).toEqual({ steps: [1000, 2000], capped: false });
  });

  it('blames the generator when its core is saturated, else the server when its core is, else other work holding a core', () => {
    expect(limitOf(window(100, 50, 0.95, 0.95))).toBe('generator-cpu');
    expect(limitOf(window(100, 50, 0.95, 0.5))).toBe('server-cpu');
    expect(limitOf(window(100, 50, 0.5, 0.5))).toBe('none');
    expect(limitOf({ ...window(100, 50, 0.5, 0.5), serverRunQueueShare: 0.3 })).toBe('cpu-contention');
  });
});

describe('keepOtherSections', () => {
  it('keeps the sections other tools wrote, after the new report, and replaces the bench its own', async () => {
    const { keepOtherSections } = await import('./report-md.ts');
    const old = '# Benchmarks\n\n## Fan-out\n\nold figures\n\n## Go-live notifications\n\nkeep me\n';
    const fresh = '# Benchmarks\n\n## Fan-out\n\nnew figures\n';
    const out = keepOtherSections(old, fresh);
    expect(out).toContain('new figures');
    expect(out).not.toContain('old figures');
    expect(out).toContain('## Go-live notifications\n\nkeep me');
  });
});

describe('medianRssGrowthKiB', () => {
  it('takes the median step slope of RSS less the heap reserve, not one noisy step', () => {
    const step = (connected: number, rss: number, free: number) => ({ connected, window: { serverRssKiB: rss, serverHeapFreeKiB: free } }) as unknown as FanoutStep;
    // 1 KiB per listener underneath, GC noise of ±3 MiB on top
    expect(medianRssGrowthKiB([step(2000, 200_000 + 2000 + 3000, 3000), step(5000, 200_000 + 5000 - 3000, 0), step(8000, 200_000 + 8000, 0)])).toBeCloseTo(1, 0);
    expect(medianRssGrowthKiB([step(2000, 1, 0)])).toBeNull();
  });

  it('is not dragged below zero by memory the server hands back in one step', () => {
    const step = (connected: number, held: number) => ({ connected, window: { serverRssKiB: held } }) as unknown as FanoutStep;
    // 1 KiB per listener; 20 MiB held since start-up released between the second and third step
    const steps = [step(2000, 100_000 + 2000), step(5000, 100_000 + 5000), step(7500, 80_000 + 7500), step(10_000, 80_000 + 10_000), step(12_500, 80_000 + 12_500)];
    expect(medianRssGrowthKiB(steps)).toBe(1);
  });
});
