/**
 * @module bench/report-icecast.test — the Icecast figures in the report come from the run: each key
 * from its variant's largest step that met the budget (null with the reason when none did), the run
 * kept when another scenario runs, a section with both variants' tables and the command, and the
 * fan-out plots drawing Icecast beside Amphi when both ran.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_SUMMARY, type DelaySummary } from './histogram.ts';
import type { IcecastGroupReport } from './loadgen-protocol.ts';
import { renderPlots } from './plots.ts';
import { readRuns, summarize } from './report-json.ts';
import { renderMarkdown } from './report-md.ts';
import type { FanoutResult, IcecastResult, IcecastStep, IcecastVariantRun, RunInfo } from './results.ts';

const info: RunInfo = {
  command: 'npm run bench -- icecast --listeners 200,1000 --duration 5',
  date: '2026-02-03T04:05:06.000Z',
  batchMs: 60,
  serverEnv: {},
  serverCore: 0,
  loadgenCore: 1,
  machine: { nproc: 2, cpuModel: 'Test CPU', ramGiB: 8, kernel: '6.1', node: 'v20.20.2' },
  openFiles: 20_000,
  loadAverage: 0.5,
};

const summary = (p99: number): DelaySummary => ({ ...EMPTY_SUMMARY, count: 100, p50: p99 / 2, p99, max: p99 + 1 });
const cpu = (cores: number) => ({ userMs: 300 * cores, sysMs: 700 * cores, wallMs: 1000, cores, userShare: 0.3 });

const listeners = (n: number, p99: number, lost = 0): IcecastGroupReport => ({
  delay: summary(p99),
  packetDelay: summary(p99 + 40),
  joinBacklog: summary(70),
  pages: 1000,
  packets: 3000,
  bytes: 300_000,
  pagesLost: lost,
  duplicates: 0,
  garbageBytes: 0,
  t0: 1_700_000_000_000,
  listeners: n,
  stalled: 0,
  referenceConnected: true,
  closes: {},
});

const step = (n: number, p99: number, cores: number, ok: boolean): IcecastStep => ({
  target: n,
  connected: n,
  openFailures: {},
  openMs: 50,
  window: {
    wallMs: 5000,
    serverCpu: cpu(cores),
    serverRunQueueShare: 0,
    loadgenRunQueueShare: 0,
    serverRssKiB: 10_000 + n,
    feederCpu: cpu(0.02),
    feederRunQueueShare: 0,
    loadgen: { userMs: 1, sysMs: 1, cores: 0.3, eventLoopP99Ms: 2 },
    listeners: listeners(n, p99, ok ? 0 : 3),
  },
  rssPerListenerKiB: 1.2,
  listenersPerCore: n / cores,
  ok,
  limitedBy: 'none',
});

const variant = (name: IcecastVariantRun['name'], steps: IcecastStep[]): IcecastVariantRun => ({
  name,
  summary: `${name} settings`,
  burstSize: name === 'sameRate' ? 0 : null,
  pageMs: name === 'sameRate' ? 60 : null,
  feederCommand: 'ffmpeg -re … icecast://source:PASSWORD@127.0.0.1:1234/amphi.ogg',
  stallMs: 1000,
  idle: { rssKiB: 10_000, cpu: cpu(0.01), feederCpu: cpu(0.02) },
  steps,
  best: steps.filter((s) => s.ok).at(-1) ?? null,
  stopReason: 'all steps met the budget',
});

const icecast: IcecastResult = {
  scenario: 'icecast',
  ...info,
  p99BudgetMs: 250,
  icecastVersion: 'Icecast 2.4.4',
  ffmpegVersion: 'ffmpeg version 5.1',
  bitrateKbps: 32,
  rampConcurrency: 50,
  variants: {
    sameRate: variant('sameRate', [step(200, 20, 0.05, true), step(1000, 30, 0.2, true)]),
    defaults: variant('defaults', [step(200, 900, 0.01, false)]),
  },
};

const fanout = {
  scenario: 'fanout',
  ...info,
  command: 'npm run bench -- fanout',
  p99BudgetMs: 250,
  idle: { rssKiB: 1000, cpu: cpu(0.05), eventLoop: null },
  steps: [],
  best: null,
  stopReason: 'none',
} satisfies FanoutResult;

describe('benchmarks.json with an icecast run', () => {
  it('fills each Icecast key from its variant’s largest step within the budget, else null with the reason', () => {
    const j = summarize({ icecast });
    expect(j.icecastSameRateListenersPerCore).toBe(5000);
    expect(j.icecastListenersPerCore).toBeNull();
    expect(j.notes['icecastSameRateListenersPerCore']).toContain('page delay p99 30 ms');
    expect(j.notes['icecastListenersPerCore']).toContain('no step met the budget');
    expect(j.date).toBe(info.date);
  });

  it('keeps the icecast run when the file is read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-icecast-'));
    const file = join(dir, 'benchmarks.json');
    writeFileSync(file, JSON.stringify(summarize({ icecast })));
    expect(readRuns(file).icecast?.variants.sameRate.steps).toHaveLength(2);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('benchmarks.md with an icecast run', () => {
  it('has the command, both variants’ tables and Amphi beside them', () => {
    const md = renderMarkdown(summarize({ icecast, fanout }), []);
    expect(md).toContain('## Icecast2 side by side');
    expect(md).toContain(info.command);
    expect(md).toContain('### Same bitrate and write rate as Amphi (`sameRate`)');
    expect(md).toContain("### Icecast's and ffmpeg's defaults (`defaults`)");
    expect(md).toContain('→ 5,000 listeners per core');
    expect(md).toContain('relative to the best case');
    expect(md).toMatch(/\| Amphi \(fanout, batch 60 ms/);
    expect(md).not.toContain('Icecast2 and Janus side by side');
  });

  it('says the scenario has not run when it has not', () => {
    expect(renderMarkdown(summarize({}), [])).toContain('Not run yet: `npm run bench -- icecast`');
  });
});

describe('fan-out plots with an icecast run', () => {
  it('draw Icecast’s p99 page delay and CPU on Amphi’s axes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-plots-'));
    const withSteps: FanoutResult = {
      ...fanout,
      steps: [
        {
          target: 200,
          connected: 200,
          openFailures: {},
          openMs: 10,
          window: {
            wallMs: 5000,
            serverCpu: cpu(0.1),
            serverRunQueueShare: 0,
            loadgenRunQueueShare: 0,
            serverRssKiB: 1000,
            eventLoop: null,
            loadgen: { userMs: 1, sysMs: 1, cores: 0.3, eventLoopP99Ms: 2 },
            base: { listeners: 200, delay: summary(60), frames: 1, messages: 1, bytes: 1, framesLost: 0, duplicates: 0, malformed: 0, stalled: 0, closes: {} },
            slow: { listeners: 0, delay: EMPTY_SUMMARY, frames: 0, messages: 0, bytes: 0, framesLost: 0, duplicates: 0, malformed: 0, stalled: 0, closes: {} },
          },
          rssPerListenerKiB: 1,
          listenersPerCore: 2000,
          ok: true,
          limitedBy: 'none',
        },
      ],
    };
    const plots = await renderPlots({ fanout: withSteps, icecast }, dir);
    expect(plots.map((p) => p.file)).toEqual(['fanout-delay.svg', 'fanout-cpu.svg']);
    expect(readFileSync(join(dir, 'fanout-delay.svg'), 'utf8')).toContain('Icecast2 same rate: p99 page delay');
    expect(readFileSync(join(dir, 'fanout-cpu.svg'), 'utf8')).toContain('Icecast2 defaults: total');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
