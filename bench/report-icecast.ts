/**
 * @module bench/report-icecast — the Icecast2 section of docs/benchmarks.md: the run's command, machine
 * and versions, how the figures were taken (and how its delay differs from Amphi's), one table per
 * variant, what limited each, and a side-by-side line with Amphi's fan-out when both were measured.
 * Text only from the runs and fixed explanations; it must never contain a number not in them.
 */
import type { DelaySummary } from './histogram.ts';
import { medianGrowthPerListener, medianRssGrowthKiB } from './report-json.ts';
import type { FanoutResult, IcecastResult, IcecastStep, IcecastVariantRun } from './results.ts';

const f0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const f1 = (v: number): string => v.toFixed(1);
const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;
const delay = (d: DelaySummary): string => `${f1(d.p50)} / ${f1(d.p99)} / ${f0(d.max)}`;
const closes = (c: Readonly<Record<string, number>>): string => {
  const e = Object.entries(c);
  return e.length === 0 ? '0' : e.map(([why, n]) => `${n}× ${why}`).join(', ');
};

export const ICECAST_STEP_HEADER = [
  '| listeners | Opus packets per listener per second | skipped ticks | page delay p50 / p99 / max, ms | per packet p50 / p99 / max, ms | join backlog p50 / max, ms | ramp to this step, s | pages lost | stalled | closed by icecast2 | icecast2 CPU (of one core) | user share | icecast2 waited for a CPU | RSS, MiB | RSS per listener, KiB | listeners per core | generator CPU | feeder CPU | limited by | met budget |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
] as const;

const TITLE: Record<IcecastVariantRun['name'], string> = {
  sameRate: 'Same bitrate and write rate as Amphi (`sameRate`)',
  defaults: "Icecast's and ffmpeg's defaults (`defaults`)",
};

/** one Icecast step as a row under ICECAST_STEP_HEADER (the cluster section shows its same-run ramp with it) */
export function icecastStepRow(s: IcecastStep): string {
  const w = s.window;
  const l = w.listeners;
  return (
    `| ${f0(s.connected)}${s.connected !== s.target ? ` of ${f0(s.target)}` : ''} | ${s.packetsPerListenerSecond === undefined ? '?' : f1(s.packetsPerListenerSecond)} | — | ${delay(l.delay)} | ${delay(l.packetDelay)} | ${f0(l.joinBacklog.p50)} / ${f0(l.joinBacklog.max)} | ` +
    `${f1(s.openMs / 1000)} | ${f0(l.pagesLost)} | ${f0(l.stalled)} | ${closes(l.closes)} | ${f1(w.serverCpu.cores * 100)}% | ${pct(w.serverCpu.userShare)} | ${pct(w.serverRunQueueShare)} | ` +
    `${f1(w.serverRssKiB / 1024)} | ${f1(s.rssPerListenerKiB)} | ${f0(s.listenersPerCore)} | ${f1(w.loadgen.cores * 100)}% | ${f1(w.feederCpu.cores * 100)}% | ${s.limitedBy} | ${s.ok ? 'yes' : '**no**'} |`
  );
}

function variantSection(r: IcecastResult, v: IcecastVariantRun): string {
  const b = v.best;
  const gen = v.steps.filter((s) => s.limitedBy === 'generator-cpu');
  const contended = v.steps.filter((s) => s.limitedBy === 'cpu-contention');
  return [
    `### ${TITLE[v.name]}`,
    '',
    `${v.summary}. Feeder: \`${v.feederCommand}\`. A listener with no page for ${f1(v.stallMs / 1000)} s counts as stalled.`,
    '',
    `Idle (feeder live, no listener): icecast2 ${f1(v.idle.cpu.cores * 100)}% of a core, RSS ${f1(v.idle.rssKiB / 1024)} MiB; feeder ${f1(v.idle.feederCpu.cores * 100)}% of a core.`,
    '',
    ...ICECAST_STEP_HEADER,
    ...v.steps.map(icecastStepRow),
    '',
    b
      ? `**Largest step within page-delay p99 ≤ ${r.p99BudgetMs} ms with 0 pages lost: ${f0(b.connected)} listeners, using ${f1(b.window.serverCpu.cores * 100)}% of the server core → ${f0(b.listenersPerCore)} listeners per core** ` +
        `(user-space share ${pct(b.window.serverCpu.userShare)}, ${f1(b.rssPerListenerKiB)} KiB RSS per listener; per-packet delay p99 ${f1(b.window.listeners.packetDelay.p99)} ms, joining listeners start p50 ${f0(b.window.listeners.joinBacklog.p50)} ms behind live).`
      : `**No step met page-delay p99 ≤ ${r.p99BudgetMs} ms with 0 pages lost.**`,
    '',
    `Why the ramp stopped: ${v.stopReason}.`,
    ...(gen.length > 0
      ? ['', `The load generator, not icecast2, was the limit at ${gen.map((s) => f0(s.connected)).join(', ')} listeners (its core ≥ 90% busy): those delays include its own queue.`]
      : []),
    ...(contended.length > 0
      ? ['', `Other work on the machine held the cores at ${contended.map((s) => f0(s.connected)).join(', ')} listeners (a process waited for a CPU ≥ 10% of the window): those figures measure the shared machine.`]
      : []),
  ].join('\n');
}

/** Amphi's best fan-out step beside each variant's, when both were measured */
function besideAmphi(r: IcecastResult, fanout: FanoutResult | undefined): string {
  if (fanout === undefined) return 'Amphi\'s fan-out has not been run yet (`npm run bench -- fanout`): nothing to set beside these figures.';
  const cell = (perCore: number | null, at: number | null, p99: number | null, user: number | null, rss: number | null): string =>
    perCore === null || at === null || p99 === null || user === null || rss === null ? '| — | — | — | — | — |' : `| ${f0(perCore)} | ${f0(at)} | ${f1(p99)} | ${pct(user)} | ${f1(rss)} |`;
  const a = fanout.best;
  const lines = [
    '| server | listeners per core | at listeners | p99 delay at that step, ms | user share of its CPU | RSS per listener, KiB |',
    '|---|---|---|---|---|---|',
    // the batch the server was sending at its best step (it grows with the listeners), and memory per listener as the headline takes it
    `| Amphi (fanout, batch ${a?.window.serverBatchMs ?? fanout.batchMs} ms, run ${fanout.date}) ` +
      cell(a?.listenersPerCore ?? null, a?.connected ?? null, a?.window.base.delay.p99 ?? null, a?.window.serverCpu.userShare ?? null, medianRssGrowthKiB(fanout.steps) ?? a?.rssPerListenerKiB ?? null),
    ...(['sameRate', 'defaults'] as const).map((name) => {
      const b = r.variants[name].best;
      return (
        `| ${r.icecastVersion} ${name} (page delay) ` +
        cell(
          b?.listenersPerCore ?? null,
          b?.connected ?? null,
          b?.window.listeners.delay.p99 ?? null,
          b?.window.serverCpu.userShare ?? null,
          // measured as Amphi's is: the median growth from step to step
          medianGrowthPerListener(r.variants[name].steps.map((st) => ({ listeners: st.connected, kiB: st.window.serverRssKiB }))) ?? b?.rssPerListenerKiB ?? null,
        )
      );
    }),
  ];
  return lines.join('\n');
}

export function icecastSection(r: IcecastResult, fanout: FanoutResult | undefined): string {
  const m = r.machine;
  return [
    '## Icecast2 side by side',
    '```',
    r.command,
    '```',
    `- Date: ${r.date} · ${r.icecastVersion} (Debian's icecast2) on core ${r.serverCore ?? 'any'}; ${r.ffmpegVersion} feeder and the load generator on core ${r.loadgenCore ?? 'any'} (taskset) · Opus ${r.bitrateKbps} kbit/s mono, 20 ms packets`,
    `- Machine: ${m.nproc} cores (${m.cpuModel}), ${m.ramGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}; open files per process ${f0(r.openFiles)}; 1-minute load average before the run ${r.loadAverage.toFixed(2)}`,
    '',
    'The same fan-out against Icecast2: the bench writes its own icecast2 config (loopback port, `<clients>` above the largest step, ' +
      '`<changeowner>` to the icecast2 user since it refuses to run as root, logs in a temp directory), starts it pinned to the server core, ' +
      'and feeds it a 440 Hz tone with ffmpeg in real time (`-re`), Opus at the bitrate of Amphi\'s program. Listeners are plain HTTP GET clients ' +
      'in the same load generator process (bench/icecast-listeners.ts): a raw socket each, reading the response header and then only Ogg page boundaries. ' +
      'The same --listeners steps, settle pause and window as the fan-out; icecast2 CPU (user and system, all its threads) and RSS from /proc. ' +
      `The ramp keeps at most ${r.rampConcurrency} connects in flight: icecast2 listens with a backlog of 5 and answers new listeners from its source thread, ` +
      'so a larger burst mostly overflows its accept queue (the ramp time per step shows how fast it takes listeners in).',
    '',
    '- **Page delay** = arrival − (t0 + granule position ÷ 48 kHz): the feeder runs in real time, so a page\'s granule is its clock. ' +
      't0 is the smallest (arrival − granule time) seen by a reference listener that connects first, to an idle icecast2, and stays. ' +
      '**So this delay is relative to the best case the feeder → icecast2 → socket path ever achieved**; Amphi\'s delay counts from capture, ' +
      'including its whole path and the batch wait. The budget and the "met budget" rule use the page delay, as Amphi\'s use its frame delay.',
    '- **Per packet** adds each 20 ms Opus packet\'s wait for its page to fill (as an Amphi frame waits for its batch): with 1 s pages, up to a second.',
    '- **Join backlog** = the delay of a listener\'s first audio page: how far behind live a player that plays everything it is sent stays. ' +
      'Icecast\'s burst on connect sends old audio first; the steady page delay does not show this.',
    '- **Pages lost** = gaps in a listener\'s page sequence numbers; icecast2 drops a listener that falls too far behind rather than skipping, which shows as closes.',
    '- "generator-cpu": the generator\'s core was ≥ 90% busy, so the generator, not icecast2, was the limit (the feeder shares that core).',
    '',
    besideAmphi(r, fanout),
    '',
    variantSection(r, r.variants.sameRate),
    '',
    variantSection(r, r.variants.defaults),
    '',
    fanout ? 'The fan-out plots above draw both variants\' p99 page delay and icecast2\'s CPU on the same axes as Amphi\'s.' : '',
  ].join('\n');
}
