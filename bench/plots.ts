/**
 * @module bench/plots — the report's charts as SVG files, drawn from the runs with vega-lite compiled
 * to vega and rendered headless in Node (no browser, no canvas): frame delay and CPU against
 * listeners (with Icecast2's p99 page delay and CPU on the same axes when the icecast scenario ran
 * too), the join-storm timeline, the slow-listener comparison, and the cluster's edge ramp (each
 * process's CPU; the listeners' delay beside the NATS hop). Data in, files out; a scenario not
 * run yet draws nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Runs } from './report-json.ts';
import type { IcecastStep } from './results.ts';

export interface Plot {
  /** file name inside the plots directory */
  readonly file: string;
  readonly title: string;
  readonly scenario: 'fanout' | 'storm' | 'slow' | 'cluster';
}

const CONFIG = { background: 'white', font: 'sans-serif', view: { stroke: null } } as const;

const ICECAST_LABEL = { sameRate: 'Icecast2 same rate', defaults: 'Icecast2 defaults' } as const;

/** one point per Icecast step and variant, when the icecast scenario ran */
function icecastPoints<T>(runs: Runs, point: (label: string, s: IcecastStep) => T[]): T[] {
  const r = runs.icecast;
  if (r === undefined) return [];
  return (['sameRate', 'defaults'] as const).flatMap((name) => r.variants[name].steps.flatMap((s) => point(ICECAST_LABEL[name], s)));
}

async function svgOf(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

function fanoutDelay(runs: Runs): TopLevelSpec | null {
  const f = runs.fanout;
  if (!f || f.steps.length === 0) return null;
  const icecast = icecastPoints(runs, (label, s) => [{ listeners: s.connected, measure: `${label}: p99 page delay`, ms: Math.round(s.window.listeners.delay.p99 * 10) / 10 }]);
  const amphi = (k: string): string => (icecast.length > 0 ? `Amphi ${k}` : k);
  const values = [
    ...f.steps.flatMap((s) => (['p50', 'p99', 'max'] as const).map((k) => ({ listeners: s.connected, measure: amphi(k), ms: Math.round(s.window.base.delay[k] * 10) / 10 }))),
    ...icecast,
  ];
  const order = [...['p50', 'p99', 'max'].map(amphi), ...new Set(icecast.map((v) => v.measure))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title:
      icecast.length > 0
        ? [`Frame delay against listeners (batch ${f.batchMs} ms, budget p99 ≤ ${f.p99BudgetMs} ms)`, "Icecast2's page delay is relative to its best case (docs/benchmarks.md)"]
        : `Frame delay against listeners (batch ${f.batchMs} ms, budget p99 ≤ ${f.p99BudgetMs} ms)`,
    width: 520,
    height: 260,
    config: CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'listeners', type: 'quantitative', title: 'listeners' },
          y: { field: 'ms', type: 'quantitative', title: 'delay from capture, ms', scale: { type: 'log' } },
          color: { field: 'measure', type: 'nominal', title: null, sort: order, legend: { labelLimit: 320 } },
        },
      },
      {
        data: { values: [{ budget: f.p99BudgetMs }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'firebrick' },
        encoding: { y: { field: 'budget', type: 'quantitative' } },
      },
    ],
  };
}

function fanoutCpu(runs: Runs): TopLevelSpec | null {
  const f = runs.fanout;
  if (!f || f.steps.length === 0) return null;
  const server = runs.icecast ? 'Amphi' : 'server';
  const values = f.steps.flatMap((s) => {
    const c = s.window.serverCpu;
    const wall = c.wallMs;
    return [
      { listeners: s.connected, series: `${server}: system`, cores: c.sysMs / wall },
      { listeners: s.connected, series: `${server}: user`, cores: c.userMs / wall },
      { listeners: s.connected, series: `${server}: total`, cores: c.cores },
      { listeners: s.connected, series: 'load generator: total', cores: s.window.loadgen.cores },
    ];
  });
  values.push(...icecastPoints(runs, (label, s) => [{ listeners: s.connected, series: `${label}: total`, cores: s.window.serverCpu.cores }]));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: runs.icecast ? 'CPU against listeners (cores busy; Amphi and icecast2 each pinned to one core)' : 'CPU against listeners (cores busy; the server is pinned to one core)',
    width: 520,
    height: 260,
    config: CONFIG,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'listeners', type: 'quantitative', title: 'listeners' },
      y: { field: 'cores', type: 'quantitative', title: 'cores', scale: { domain: [0, 1.1] } },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
      strokeDash: { field: 'series', type: 'nominal', legend: null },
    },
  };
}

function stormTimeline(runs: Runs): TopLevelSpec | null {
  const s = runs.storm;
  if (!s || s.storm.timeline.length === 0) return null;
  const joins = s.storm.timeline.flatMap((b) => {
    const perSec = 1000 / Math.max(1, b.durMs ?? 250);
    return [
      { t: b.tMs / 1000, what: 'started', perSecond: b.started * perSec },
      { t: b.tMs / 1000, what: 'admitted (first audio)', perSecond: b.admitted * perSec },
      { t: b.tMs / 1000, what: 'failed', perSecond: b.failed * perSec },
    ];
  });
  const delay = s.storm.timeline.flatMap((b) => [
    { t: b.tMs / 1000, what: 'p50', ms: b.baseP50Ms },
    { t: b.tMs / 1000, what: 'p99', ms: b.baseP99Ms },
  ]);
  const x = { field: 't', type: 'quantitative', title: 'seconds since the first join' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Join storm: ${s.rate} joins/s for ${s.durationMs / 1000} s with ${s.baseListeners} listeners already in`,
    config: CONFIG,
    vconcat: [
      {
        width: 520,
        height: 180,
        data: { values: joins },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: { x, y: { field: 'perSecond', type: 'quantitative', title: 'joins per second' }, color: { field: 'what', type: 'nominal', title: null } },
      },
      {
        width: 520,
        height: 140,
        data: { values: delay },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: { x, y: { field: 'ms', type: 'quantitative', title: 'delay of those already in, ms' }, color: { field: 'what', type: 'nominal', title: null } },
      },
    ],
  };
}

function slowCompare(runs: Runs): TopLevelSpec | null {
  const s = runs.slow;
  if (!s) return null;
  const values = [
    { window: 'everyone reading', measure: 'p50', ms: s.before.base.delay.p50 },
    { window: 'everyone reading', measure: 'p99', ms: s.before.base.delay.p99 },
    { window: `${s.paused} not reading`, measure: 'p50', ms: s.during.base.delay.p50 },
    { window: `${s.paused} not reading`, measure: 'p99', ms: s.during.base.delay.p99 },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Delay of the listeners that keep reading (${s.listeners - s.paused} of ${s.listeners})`,
    width: 300,
    height: 200,
    config: CONFIG,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'measure', type: 'nominal', title: null },
      xOffset: { field: 'window', type: 'nominal' },
      y: { field: 'ms', type: 'quantitative', title: 'delay from capture, ms' },
      color: { field: 'window', type: 'nominal', title: null },
    },
  };
}

/** a line chart against listeners on the edge, one line per `series` value */
function edgeLines(title: string, values: ReadonlyArray<Record<string, string | number>>, y: { readonly field: string; readonly title: string; readonly scale: object }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 520,
    height: 260,
    config: CONFIG,
    data: { values: [...values] },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'listeners', type: 'quantitative', title: 'listeners on the edge' },
      y: { ...y, type: 'quantitative' },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
    },
  };
}

function clusterCpu(runs: Runs): TopLevelSpec | null {
  const c = runs.cluster;
  if (!c || c.steps.length === 0) return null;
  const values = c.steps.flatMap((s) => [
    { listeners: s.connected, series: 'edge (the listeners)', cores: s.window.serverCpu.cores },
    { listeners: s.connected, series: 'origin (stage, mixer, NATS publish)', cores: s.origin.cpu.cores },
    { listeners: s.connected, series: 'nats-server', cores: s.nats.cpu.cores },
    { listeners: s.connected, series: 'load generator', cores: s.window.loadgen.cores },
  ]);
  return edgeLines('Cluster: CPU of each process against listeners on one edge (cores busy)', values, { field: 'cores', title: 'cores', scale: { domain: [0, 1.1] } });
}

function clusterDelay(runs: Runs): TopLevelSpec | null {
  const c = runs.cluster;
  if (!c || c.steps.length === 0) return null;
  const values = c.steps.flatMap((s) => [
    { listeners: s.connected, series: 'listener p50 (capture → socket read)', ms: s.window.base.delay.p50 },
    { listeners: s.connected, series: 'listener p99', ms: s.window.base.delay.p99 },
    { listeners: s.connected, series: 'NATS hop p50 (capture → edge NATS client)', ms: s.hop.delay.p50 },
    { listeners: s.connected, series: 'NATS hop p99', ms: s.hop.delay.p99 },
  ]);
  return edgeLines(`Cluster: frame delay at the listeners and the NATS hop (budget p99 ≤ ${c.p99BudgetMs} ms)`, values, { field: 'ms', title: 'ms', scale: { type: 'log' } });
}

/** writes every plot the runs have data for; returns what was written */
export async function renderPlots(runs: Runs, dir: string): Promise<Plot[]> {
  const wanted: Array<[Plot, TopLevelSpec | null]> = [
    [{ file: 'fanout-delay.svg', title: 'Frame delay against listeners', scenario: 'fanout' }, fanoutDelay(runs)],
    [{ file: 'fanout-cpu.svg', title: 'Server and generator CPU against listeners', scenario: 'fanout' }, fanoutCpu(runs)],
    [{ file: 'storm-timeline.svg', title: 'Join storm timeline', scenario: 'storm' }, stormTimeline(runs)],
    [{ file: 'slow-listeners.svg', title: 'Delay with listeners that stop reading', scenario: 'slow' }, slowCompare(runs)],
    [{ file: 'cluster-cpu.svg', title: 'Cluster: CPU of each process against listeners', scenario: 'cluster' }, clusterCpu(runs)],
    [{ file: 'cluster-delay.svg', title: 'Cluster: frame delay and the NATS hop', scenario: 'cluster' }, clusterDelay(runs)],
  ];
  const written: Plot[] = [];
  for (const [plot, spec] of wanted) {
    if (spec === null) continue;
    writeFileSync(join(dir, plot.file), await svgOf(spec));
    written.push(plot);
  }
  return written;
}
