/**
 * @module bench/report-md — renders docs/benchmarks.md from docs/benchmarks.json's content: the
 * headline figures, then each scenario with the exact command, the machine and the date of the run
 * that produced it, its tables and plots, and what limited it. Text only from measured data and fixed
 * explanations; it must never contain a number that is not in the runs.
 */
import type { DelaySummary } from './histogram.ts';
import type { GroupReport } from './loadgen-protocol.ts';
import type { Plot } from './plots.ts';
import { icecastSection } from './report-icecast.ts';
import { janusSection } from './report-janus.ts';
import { clusterSection } from './report-cluster.ts';
import { handsSection } from './report-hands.ts';
import { medianRssGrowthKiB, type BenchJson, type SocketFigures } from './report-json.ts';
import type { FanoutResult, JoinCost, RunInfo, SlowResult, StormResult, Window } from './results.ts';

const f0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const f1 = (v: number): string => v.toFixed(1);
const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;
const fps = (v: number | undefined): string => (v === undefined ? '?' : v.toFixed(1));
const show = (v: number | string | null): string => (v === null ? '—' : typeof v === 'number' ? v.toLocaleString('en-US') : v);
const delay = (d: DelaySummary): string => `${f1(d.p50)} / ${f1(d.p99)} / ${f0(d.max)}`;
const closes = (g: GroupReport): string => {
  const e = Object.entries(g.closes);
  return e.length === 0 ? 'none' : e.map(([code, n]) => `${n}× ${code}`).join(', ');
};

function runHeader(r: RunInfo): string {
  const m = r.machine;
  return [
    '```',
    r.command,
    '```',
    `- Date: ${r.date} · batch ${r.batchMs} ms · server settings ${Object.entries(r.serverEnv ?? {}).map(([k, v]) => `${k}=${v}`).join(' ') || 'default'} · server on core ${show(r.serverCore)}, load generator on core ${show(r.loadgenCore)} (taskset)`,
    `- Machine: ${m.nproc} cores (${m.cpuModel}), ${m.ramGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}; open files per process ${f0(r.openFiles)}; ` +
      `1-minute load average before the run ${r.loadAverage.toFixed(2)}`,
  ].join('\n');
}

const img = (plots: readonly Plot[], scenario: Plot['scenario']): string =>
  plots
    .filter((p) => p.scenario === scenario)
    .map((p) => `![${p.title}](plots/${p.file})`)
    .join('\n\n');

function windowCells(w: Window): string {
  return `${f1(w.serverCpu.cores * 100)}% | ${pct(w.serverCpu.userShare)} | ${w.serverRunQueueShare === undefined ? '?' : pct(w.serverRunQueueShare)} | ${f1(w.serverRssKiB / 1024)} | ${w.eventLoop ? `${f1(w.eventLoop.p99Ms)} / ${f0(w.eventLoop.maxMs)}` : '?'} | ${f1(w.loadgen.cores * 100)}%`;
}

function fanoutSection(f: FanoutResult, plots: readonly Plot[]): string {
  // memory per listener added since the step before (what the headline takes the median of); a step's own
  // (RSS − idle) ÷ listeners went below zero once the server released memory it held since start-up
  const growth = (i: number): string => {
    const prev = f.steps[i - 1];
    const cur = f.steps[i];
    return prev === undefined || cur === undefined ? '—' : f1(medianRssGrowthKiB([prev, cur]) ?? Number.NaN);
  };
  const rows = f.steps.map(
    (s, i) =>
      `| ${f0(s.connected)}${s.connected !== s.target ? ` of ${f0(s.target)}` : ''} | ${s.window.serverBatchMs ?? '?'} | ${fps(s.deliveredFramesPerListenerSecond)} (${fps(s.minListenerFramesPerSecond)}) | ${s.window.skippedTicks ?? '?'} | ${s.window.deliveryDuty == null ? '?' : pct(s.window.deliveryDuty)} | ${delay(s.window.base.delay)} | ${f0(s.window.base.framesLost)} | ${f0(s.window.base.stalled)} | ` +
      `${windowCells(s.window)} | ${growth(i)} | ${f0(s.listenersPerCore)} | ${s.limitedBy} | ${s.ok ? 'yes' : '**no**'} |`,
  );
  const best = f.best;
  const idleLoop = f.idle.eventLoop ? `${f1(f.idle.eventLoop.p99Ms)} ms` : 'unknown';
  return [
    '## Fan-out: listeners per core',
    runHeader(f),
    '',
    `Idle (speaker live, mixer running, no listener): server ${f1(f.idle.cpu.cores * 100)}% of a core, RSS ${f1(f.idle.rssKiB / 1024)} MiB, event-loop delay p99 ${idleLoop}.`,
    '',
    '| listeners | batch, ms | frames per listener per second (fewest) | skipped ticks | delivery duty | delay p50 / p99 / max, ms | frames lost | stalled | server CPU (of one core) | user share | server waited for a CPU | RSS, MiB | loop delay p99 / max, ms | generator CPU | RSS growth per listener added since the step before, KiB | listeners per core | limited by | met budget |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'A step is met only in real time: every listener received at least 99% of the 50 frames a second the room produced (the mean ≥ 49.5, the fewest within one batch of it), the server skipped no tick of its clock, and the delay, loss, stall and close rules hold. Runs before 2026-12-07 did not check the first two (their top steps delivered as little as 33.5 frames a second).',
    '',
    best
      ? `**Largest step in real time (${fps(best.deliveredFramesPerListenerSecond)} frames per listener per second, ${best.window.skippedTicks ?? '?'} ticks skipped) within p99 ≤ ${f.p99BudgetMs} ms with 0 frames lost: ${f0(best.connected)} listeners, using ${f1(best.window.serverCpu.cores * 100)}% of the server core → ${f0(best.listenersPerCore)} listeners per core** (user-space share of the server's CPU ${pct(best.window.serverCpu.userShare)}, ${medianRssGrowthKiB(f.steps) === null ? `${f1(best.rssPerListenerKiB)} KiB RSS per listener at that step` : `${f1(medianRssGrowthKiB(f.steps) ?? 0)} KiB RSS per listener, the median growth from step to step`}).`
      : `**No step held real time within p99 ≤ ${f.p99BudgetMs} ms with 0 frames lost.**`,
    '',
    `Why the ramp stopped: ${f.stopReason}.`,
    '',
    img(plots, 'fanout'),
  ].join('\n');
}

function socketsSection(j: BenchJson): string {
  const row = (name: string, f: SocketFigures | null, cmd: string): string =>
    f === null
      ? `| ${name} | not run yet: \`${cmd}\` | | | | |`
      : `| ${name} | ${f0(f.listenersPerCore)} | ${f1(f.p99DelayMs)} | ${pct(f.userCpuShare)} | ${f1(f.rssPerListenerKiB)} | ${f0(f.atListeners)} (${f.date.slice(0, 10)}) |`;
  const { uws, ws } = j.socketLibraries;
  return [
    '## Listener sockets: uWebSockets.js against ws',
    '',
    'The same fanout scenario with the server on each library (`--sockets`); the default is the faster. uWebSockets.js',
    'publishes each batch to a topic, so the per-listener writes happen in native code; `ws` loops over the sockets in',
    'JavaScript. Each row is from its largest step within the budget.',
    '',
    '| listener sockets | listeners per core | p99 delay, ms | user share of server CPU | RSS per listener, KiB | at listeners (date) |',
    '|---|---|---|---|---|---|',
    row('uWebSockets.js (default)', uws, 'npm run bench -- fanout'),
    row('ws', ws, 'npm run bench -- fanout --sockets ws'),
    '',
    uws !== null && ws !== null ? `uWebSockets.js carries ${(uws.listenersPerCore / Math.max(1, ws.listenersPerCore)).toFixed(2)}× the listeners per core of \`ws\`.` : '',
  ].join('\n');
}

/** the subtraction that separates the joins' CPU from the room's and the fan-out's */
function joinCostText(s: StormResult, c: JoinCost): string {
  const storm = `storm ${f1((s.serverCpu.cores * s.serverCpu.wallMs) / 1000)} core-s`;
  const secs = f1(s.serverCpu.wallMs / 1000);
  if (c.baseCores !== undefined && c.afterCores === undefined) {
    const measured =
      c.baseBeforeCores !== undefined && c.baseAfterCores !== undefined
        ? `${f1(c.baseCores * 100)}% of a core: the mean of ${f1(c.baseBeforeCores * 100)}% just before and ${f1(c.baseAfterCores * 100)}% just after`
        : `${f1(c.baseCores * 100)}% of a core, measured just before`;
    return `${storm} − the room with ${f0(s.baseListeners)} listeners (${measured}) × ${secs} s (each joiner left at its first audio: what is left is the joins' own cost, the close included)`;
  }
  if (c.baseCores !== undefined && c.afterCores !== undefined) {
    return `${storm} − the room with ${f0(s.baseListeners)} listeners (${f1(c.baseCores * 100)}% of a core, measured just before) × ${secs} s − the joiners' fan-out once in: ${(c.coresPerListener * 1e6).toFixed(1)} µcore per listener ((${f1(c.afterCores * 100)}% with everyone in just after − ${f1(c.baseCores * 100)}%) ÷ joiners) × ${f0(c.listenerSeconds)} listener-seconds`;
  }
  return `${storm} − idle room ${f1(c.idleCores * 100)}% of a core × ${secs} s − fan-out ${(c.coresPerListener * 1e6).toFixed(1)} µcore per listener (measured before the storm) × ${f0(c.listenerSeconds)} listener-seconds`;
}

/**
 * the derived figure's error from the base room alone: the room measured before and after the storm
 * differ, and the subtraction can be off by half that difference times the storm's length
 */
function derivedRange(s: StormResult, c: JoinCost): string {
  if (c.baseBeforeCores === undefined || c.baseAfterCores === undefined) return '';
  const errCoreS = (Math.abs(c.baseBeforeCores - c.baseAfterCores) / 2) * (s.serverCpu.wallMs / 1000);
  const joins = s.storm.admitted;
  const lo = joins / (c.joinCpuSeconds + errCoreS);
  const hi = c.joinCpuSeconds - errCoreS > 0 ? joins / (c.joinCpuSeconds - errCoreS) : Number.POSITIVE_INFINITY;
  return ` (the base room read ${f1(c.baseBeforeCores * 100)}% before and ${f1(c.baseAfterCores * 100)}% after: ±${errCoreS.toFixed(2)} core-s, so ${f0(lo)} to ${Number.isFinite(hi) ? f0(hi) : 'unbounded'}; not what the target is judged on)`;
}

/** what one join of the storm did, by the run's join path */
function joinPathText(s: StormResult): string {
  if (s.joinPath === 'direct') {
    return `what a signed-out browser does: open the listener WebSocket at \`/ws/listen?room=ID\` (no ticket: the listener port applies the room's rules and the waiting line in the upgrade), wait for the first audio frame${s.joinersStay === false ? ', then leave (close the socket): the join alone, so its CPU is not mixed with the fan-out to an ever larger audience' : ''}; when told a place in line, keep the same socket until the server moves it into the stream`;
  }
  if (s.joinPath === 'token') {
    return `open the listener WebSocket at \`/ws/listen?token=…\` with a signed join token already in hand (fetched once before the storm, as a page that loaded the room holds one; the upgrade verifies its HMAC-SHA256 and expiry on every join), wait for the first audio frame${s.joinersStay === false ? ', then leave (close the socket)' : ''}`;
  }
  const where = s.joinPath === 'api' || s.command.includes('--storm-tickets api') ? 'from the API, as on a first visit' : 'from the listener port, where the API sends signed-out listeners (ticketOrigin)';
  return `GET the listen ticket (${where}), open the listener WebSocket with it, wait for the first audio frame; when told to wait, hold the line socket until its number is admitted`;
}

function stormSection(s: StormResult, plots: readonly Plot[]): string {
  const r = s.storm;
  const fails = Object.entries(r.failures);
  return [
    '## Join storm',
    runHeader(s),
    '',
    `${f0(s.baseListeners)} listeners already in; joins started at ${f0(s.rate)}/s for ${s.durationMs / 1000} s. A join: ${joinPathText(s)}; a join with no audio after ${f1((s.joinTimeoutMs ?? 10_000) / 1000)} s counts as failed.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| joins offered / started | ${f0(r.offered)} / ${f0(r.started)} (generator achieved ${f0(r.startedPerSec)}/s) |`,
    `| joins admitted (got audio) | ${f0(r.admitted)}, ${f0(r.admittedPerSec)}/s from first start to last settled (${f1(r.wallMs / 1000)} s) |`,
    ...(s.repeats !== undefined ? [`| joins per server core-second (raw), every run (each on a fresh server; this table is the median one) | ${s.repeats.map((v) => f0(v)).join(' / ')} |`] : []),
    ...(s.joinCost
      ? [
          `| **joins per server core-second, raw** (joins admitted ÷ all the server's CPU during the storm, the room and its listeners included: what the target is judged on) | **${f0(s.joinCost.joinsPerCoreSecondWithFanout)}** (server used ${f1(s.serverCpu.cores * 100)}% of its core, user share ${pct(s.serverCpu.userShare)}, waited for a CPU ${s.serverRunQueueShare === undefined ? '?' : pct(s.serverRunQueueShare)} of the time) |`,
          `| joins per server core-second, derived (the room subtracted) | ${f0(s.joinsPerSecondPerCore)}${derivedRange(s, s.joinCost)} |`,
          `| how the joins' CPU was separated | ${joinCostText(s, s.joinCost)} = ${s.joinCost.joinCpuSeconds.toFixed(2)} core-s, ${f0((s.joinCost.joinCpuSeconds / Math.max(1, r.admitted)) * 1e6)} µs per join |`,
        ]
      : [`| **joins per server core-second** | **${f0(s.joinsPerSecondPerCore)}** (server used ${f1(s.serverCpu.cores * 100)}% of its core) |`]),
    `| join → first audio p50 / p99 / max | ${delay(r.joinToAudio)} ms |`,
    s.joinPath === 'token' ? '| ticket request | none: the token was in hand |' : `| ${s.joinPath === 'direct' ? 'upgrade → place in line (those told to wait) p50 / p99 / max' : 'ticket request p50 / p99 / max'} | ${delay(r.ticket)} ms |`,
    `| joins put in the waiting line; time in line p50 / p99 / max | ${f0(r.waited ?? 0)}; ${r.lineWait ? delay(r.lineWait) : '—'} ms |`,
    `| **failed joins** | **${f0(r.failed)}**${fails.length > 0 ? ` (${fails.map(([k, n]) => `${n}× ${k}`).join(', ')})` : ''} |`,
    `| listeners already in: delay p50 / p99 / max | ${delay(r.base.delay)} ms, ${f0(r.base.framesLost)} frames lost, closes: ${closes(r.base)} |`,
    `| connections refused on a full accept queue (SYN dropped, retried by the client after 1 s, 3 s, …) | ${f0(s.listenOverflows ?? 0)} (machine-wide kernel counter) |`,
    `| server event-loop delay p99 / max | ${s.eventLoop ? `${f1(s.eventLoop.p99Ms)} / ${f0(s.eventLoop.maxMs)} ms` : 'unknown'} |`,
    `| load generator CPU | ${f1(r.loadgen.cores * 100)}% of its core (event-loop delay p99 ${f1(r.loadgen.eventLoopP99Ms)} ms) |`,
    `| limited by | ${s.limitedBy} |`,
    '',
    img(plots, 'storm'),
  ].join('\n');
}

function slowSection(s: SlowResult, plots: readonly Plot[]): string {
  const row = (label: string, w: Window): string =>
    `| ${label} | ${f0(w.base.listeners)} | ${delay(w.base.delay)} | ${f0(w.base.framesLost)} | ${f0(w.base.stalled)} | ${windowCells(w)} |`;
  const a = s.slowAfterResume;
  return [
    '## Slow listeners',
    runHeader(s),
    '',
    `${f0(s.listeners)} listeners; then ${f0(s.paused)} (${pct(s.share)}) stop reading their sockets for ${f1(s.during.wallMs / 1000)} s. The figures are for the others.`,
    '',
    '| window | listeners reading | delay p50 / p99 / max, ms | frames lost | stalled | server CPU | user share | server waited for a CPU | RSS, MiB | loop delay p99 / max, ms | generator CPU |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row('everyone reading', s.before),
    row(`${f0(s.paused)} not reading`, s.during),
    '',
    `When the paused listeners read again (3 s): ${f0(a.frames)} frames arrived, ${f0(a.framesLost)} frames had been skipped for them by the server, closes: ${closes(a)}; ` +
      `${f0(a.listeners)} of them still connected.`,
    '',
    img(plots, 'slow'),
  ].join('\n');
}

function limits(j: BenchJson): string {
  const lines: string[] = [];
  const f = j.runs.fanout;
  if (f) {
    const gen = f.steps.filter((s) => s.window.loadgen.cores >= 0.9);
    if (gen.length > 0) {
      lines.push(
        `- The load generator, not the server, was the limit at ${gen.map((s) => f0(s.connected)).join(', ')} listeners: its core was ≥ 90% busy, so those delays include its own queue and are an upper bound for the server.`,
      );
    }
    const contended = f.steps.filter((s) => s.limitedBy === 'cpu-contention');
    if (contended.length > 0) {
      lines.push(
        `- Other work on this machine held the cores at ${contended.map((s) => f0(s.connected)).join(', ')} listeners: neither process filled its core, ` +
          `yet the server waited for a CPU ${contended.map((s) => pct(s.window.serverRunQueueShare)).join(', ')} of the window (run_delay in /proc/PID/task/*/schedstat). ` +
          'Those delays measure the shared machine, not Amphi; a quiet machine is needed for the real figure.',
      );
    }
    const capped = f.steps.some((s) => s.target >= f.openFiles - 500);
    if (capped) lines.push(`- The open-files limit of this machine (${f0(f.openFiles)} per process, a hard limit the bench cannot raise) caps the listener count.`);
  }
  const s = j.runs.storm;
  if (s && s.storm.loadgen.cores >= 0.9) lines.push(`- In the storm the load generator's core was ${f1(s.storm.loadgen.cores * 100)}% busy: the admitted rate is bounded by the generator.`);
  if (s && (s.listenOverflows ?? 0) > 0) {
    lines.push(
      `- During the storm the kernel refused ${f0(s.listenOverflows)} connection attempts on a full accept queue (TcpExt ListenOverflows; ` +
        `the server listens with a backlog of 4096, the machine's somaxconn) while the server used ${f1(s.serverCpu.cores * 100)}% of its core. ` +
        'Each refusal costs the joiner a SYN retry after 1 s, then 3 s, 7 s, 15 s, so joins slow down or fail while the server still has CPU to spare' +
        ((s.serverRunQueueShare ?? 0) >= 0.1 ? ` (here the server also waited for a CPU ${pct(s.serverRunQueueShare)} of the storm: this run cannot tell the two apart).` : '.'),
    );
  }
  const sl = j.runs.slow;
  if (sl && sl.slowAfterResume.framesLost === 0 && Object.keys(sl.slowAfterResume.closes).length === 0 && sl.paused > 0) {
    lines.push(
      `- The paused listeners lost nothing: over ${f1(sl.during.wallMs / 1000)} s the kernel's socket buffers on loopback took all of it ` +
        `(${f0(sl.slowAfterResume.bytes / sl.paused / 1024)} KiB per paused socket, read back afterwards), so the server's own bound ` +
        '(skip above 64 KiB buffered in user space, close 4008 after 5 s of skipping) was not reached in this window.',
    );
  }
  if (lines.length === 0) lines.push('- Neither process saturated its core in any window recorded here.');
  return lines.join('\n');
}

export function renderMarkdown(j: BenchJson, plots: readonly Plot[]): string {
  const headline: Array<[string, number | string | null, string]> = [
    ['listenersPerCore', j.listenersPerCore, 'fanout: listeners ÷ server cores used, largest step in real time (every listener ≥ 99% of 50 frames/s, 0 ticks skipped) with p99 within budget and 0 frames lost'],
    ['deliveredFramesPerListenerSecond', j.deliveredFramesPerListenerSecond, 'fanout: frames received per listener per second at that step (real time: 50)'],
    ['skippedTicks', j.skippedTicks, "fanout: 20 ms ticks the server's clock dropped during that step's window"],
    ['p99DelayMs', j.p99DelayMs, 'fanout: p99 frame delay at that step (capture → listener socket read)'],
    ['framesLost', j.framesLost, 'fanout: seq gaps at that step'],
    ['rssPerListenerKiB', j.rssPerListenerKiB, "fanout: median growth of (RSS less the V8 heap's unused reserve) per listener added, step to step"],
    ['userCpuShare', j.userCpuShare, "fanout: user ÷ (user + system) of the server's CPU at that step"],
    ['joinsPerSecond', j.joinsPerSecond, "storm: joins admitted ÷ all the server's CPU seconds during the storm (raw: the room and its listeners included), the median run of the repeats"],
    ['joinsPerSecondDerived', j.joinsPerSecondDerived, "storm: the same with the room's own CPU subtracted (its spread is in the storm section)"],
    ['p99JoinToAudioMs', j.p99JoinToAudioMs, 'storm: first request of a join (the direct upgrade, or the ticket) → first audio frame, p99'],
    ['failedJoins', j.failedJoins, 'storm'],
    ['icecastListenersPerCore', j.icecastListenersPerCore, j.notes['icecastListenersPerCore'] ?? ''],
    ['icecastSameRateListenersPerCore', j.icecastSameRateListenersPerCore, j.notes['icecastSameRateListenersPerCore'] ?? ''],
    ['janusListenersPerCore', j.janusListenersPerCore, j.notes['janusListenersPerCore'] ?? ''],
    ['batchMs', j.batchMs, 'AMPHI_BATCH_MS; a node with 5,000 listeners or more sends 120 ms batches (AMPHI_BUSY_BATCH_MS, AMPHI_BUSY_LISTENERS), with 10,000 or more 160 ms (AMPHI_PEAK_BATCH_MS, AMPHI_PEAK_LISTENERS)'],
    ['date', j.date, 'latest run'],
  ];
  const sections = [
    j.runs.fanout ? fanoutSection(j.runs.fanout, plots) : '## Fan-out\n\nNot run yet: `npm run bench -- fanout`.',
    socketsSection(j),
    j.runs.icecast ? icecastSection(j.runs.icecast, j.runs.fanout) : '## Icecast2 side by side\n\nNot run yet: `npm run bench -- icecast`.',
    j.runs.janus ? janusSection(j.runs.janus, j.runs.fanout) : '## Janus (WebRTC) side by side\n\nNot run yet: `npm run bench -- janus`.',
    j.runs.storm ? stormSection(j.runs.storm, plots) : '## Join storm\n\nNot run yet: `npm run bench -- storm`.',
    j.runs.slow ? slowSection(j.runs.slow, plots) : '## Slow listeners\n\nNot run yet: `npm run bench -- slow`.',
    j.runs.cluster ? clusterSection(j.runs.cluster, img(plots, 'cluster')) : '## Cluster: one room across processes\n\nNot run yet: `npm run bench -- cluster`.',
    j.runs.hands ? handsSection(j.runs.hands) : '## Moderation: hand raises (issue 17)\n\nNot run yet: `npm run bench -- hands`.',
  ];
  return `# Benchmarks

Written by \`npm run bench\` (bench/cli.ts) from its last run of each scenario; do not edit by hand. The same
figures are in [benchmarks.json](benchmarks.json). Every number below was measured by the run whose command
and date are given above it.

The load average before each run is given with it: other work on the machine makes every figure
pessimistic. \`npm run bench -- all\` runs every scenario (about 25 minutes; Icecast's default settings ramp slowly).

## Headline

| key | value | what |
|---|---|---|
${headline.map(([k, v, what]) => `| \`${k}\` | ${show(v)} | ${what} |`).join('\n')}

${['listenersPerCore', 'joinsPerSecond'].filter((k) => j.notes[k] !== undefined).map((k) => `- \`${k}\`: ${j.notes[k]}.`).join('\n')}

## How it is measured

- A real Amphi server (\`node --import tsx src/main.ts\`, fresh SQLite data directory, port 0 on 127.0.0.1)
  pinned to one core with \`taskset\`; the load generator (bench/loadgen.ts) in another process pinned to the
  other core; the bench itself (and its synthetic speaker) on the generator's core.
- A host signs up, creates a room, publishes a 440 Hz tone over WebRTC (@roamhq/wrtc) negotiated on the
  room WebSocket, unmutes and goes live: the mixer and Opus encoder run as in production.
- Listeners open the socket URL their ticket names: the listener port (uWebSockets.js) unless the run says
  \`--sockets ws\` (the main port, the \`ws\` library).
- Listeners are raw WebSocket clients (bench/raw-ws-client.ts, no library): each reads every message,
  checks it byte by byte as docs/protocol.md says, checks that seqs follow on, and records every frame's
  **delay = arrival wall time − captureTimeMs** (the same clock: one machine). A frame waits in the batch
  until the batch is full, so the first frame of a 60 ms batch is at least 40 ms old when it is sent.
- **Frames lost** = frames missing between consecutive seqs of the same listener (the server skips a
  listener over its backpressure bound). **Stalled** = connected listeners with no frame in the last second.
- Server CPU from /proc/PID/stat (user and system separately, all threads) over the window; RSS from
  /proc/PID/status; event-loop delay from the server's /metrics (prom-client's
  \`amphi_process_nodejs_eventloop_lag_p99_seconds\`, reset at each scrape: scraped at the window's start and end).
- The generator measures its own CPU and event-loop delay; when its core is ≥ 90% busy the step is marked
  "generator-cpu": the generator, not the server, was the limit.

${sections.join('\n\n')}

## What limited these figures

${limits(j)}

## Not measured yet

${[
  j.runs.icecast ? null : '- Icecast2 side by side: `npm run bench -- icecast`.',
  j.runs.janus ? null : '- Janus side by side: `npm run bench -- janus`.',
  j.socketLibraries.ws === null ? '- `ws` for the listener sockets: `npm run bench -- fanout --sockets ws`.' : null,
  j.runs.cluster ? null : '- One room across processes (origin, edges, NATS, PostgreSQL): `npm run bench -- cluster`.',
]
  .filter((l) => l !== null)
  .join('\n') || '- Everything the report covers has a run above.'}
`;
}

/**
 * docs/benchmarks.md also holds sections other tools write (mouth-to-ear, mixer cost, go-live
 * notifications): every `## ` section of the old file whose heading the new report does not have is
 * kept, after the report.
 */
export function keepOtherSections(previous: string, report: string): string {
  const headings = (md: string) => new Set([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]));
  const ours = headings(report);
  const kept = previous
    .split(/^(?=## )/m)
    .filter((part) => part.startsWith('## ') && !ours.has(/^## (.+)$/m.exec(part)?.[1] ?? ''));
  return kept.length === 0 ? report : `${report.trimEnd()}\n\n${kept.map((k) => k.trimEnd()).join('\n\n')}\n`;
}
