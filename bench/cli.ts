/**
 * @module bench/cli — `npm run bench -- <scenario> [options]`: runs Amphi's load scenarios (fanout,
 * storm, slow, or all) against a real server process pinned to one core with the load generator on
 * another, then writes docs/benchmarks.json, docs/benchmarks.md and the SVG plots. Every figure in the
 * report comes from the run that wrote it. Whatever happens, every process it started is stopped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LISTEN_TICKET_MS } from '../src/control/room-service.ts';
import { keepOtherSections } from './report-md.ts';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import type { BenchOptions } from './bench-context.ts';
import { DEFAULT_JANUS_STEPS } from './janus-steps.ts';
import { killAllChildren } from './pinned-child.ts';
import { fileLimit, machine } from './proc-stats.ts';
import { note } from './progress.ts';
import { renderPlots } from './plots.ts';
import { keptFigures, readRuns, summarize, withResult } from './report-json.ts';
import { renderMarkdown } from './report-md.ts';
import { ALL, SCENARIOS, scenarioNamed } from './scenarios.ts';
import type { StormJoinPath } from './results.ts';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

const int = (min: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`a whole number ≥ ${min}`);
  return n;
};
const positive = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
};
const share = (v: string): number => {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('a fraction between 0 and 1, e.g. 0.2');
  return n;
};
const core = (v: string): number | null => (v === 'none' ? null : int(0)(v));
const steps = (v: string): number[] => {
  const list = v.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError('comma-separated listener counts, e.g. 1000,2000,5000');
  return list;
};

const nproc = machine().nproc;
const program = new Command()
  .name('npm run bench --')
  .description('Amphi load benchmarks against a real server process (see docs/benchmarks.md)')
  .argument('<scenario>', `${SCENARIOS.map((s) => s.name).join(' | ')} | all | report (re-render docs from benchmarks.json)`)
  .option('--listeners <steps>', 'fanout: listener counts to ramp through', steps, [1000, 2000, 5000, 10_000, 15_000, 20_000])
  .option('--duration <s>', 'steady measuring window per step, seconds', positive, 10)
  .option('--settle <s>', 'pause after a ramp before measuring, seconds', positive, 2)
  .option('--batch-ms <ms>', 'AMPHI_BATCH_MS for the server (multiple of 20)', int(20), 60)
  .option('--server-core <n|none>', 'core the server is pinned to', core, nproc >= 2 ? 0 : null)
  .option('--loadgen-core <n|none>', 'core the load generator (and this process) is pinned to', core, nproc >= 2 ? 1 : null)
  .option('--p99-budget <ms>', 'fanout: p99 frame delay a step must meet', positive, 250)
  .option('--concurrency <n>', 'WebSocket handshakes in flight while ramping', int(1), 500)
  .option('--janus-steps <steps>', 'janus: WebRTC listener counts to ramp through (the ramp stops where Janus, or the generator, saturates)', steps, [...DEFAULT_JANUS_STEPS])
  .option('--janus-peer <light|wrtc>', 'janus: listeners as light peers (real ICE and DTLS, RTP headers counted) or @roamhq/wrtc peers (fill the generator core near 100-200)', (v: string) => {
    if (v !== 'light' && v !== 'wrtc') throw new InvalidArgumentError('light or wrtc');
    return v;
  }, 'light')
  .option('--storm-rate <n>', 'storm: joins started per second', int(1), 5000)
  .option('--storm-seconds <s>', 'storm: how long joins keep starting', positive, 3)
  .option('--storm-tickets <how>', 'storm: how joins get in: direct (signed out, /ws/listen?room=, one upgrade, as the web app does), token (one upgrade with a join token already in hand, verified on every join), listener (a ticket from the listener port first) or api (a ticket from the API first)', (v: string) => {
    if (v !== 'direct' && v !== 'token' && v !== 'listener' && v !== 'api') throw new InvalidArgumentError('direct, token, listener or api');
    return v;
  }, 'direct')
  .option('--storm-repeat <n>', 'storm: runs, each on a fresh server; the report shows the median by joins per core-second and lists every run (one run scatters ±30% on a shared VM)', int(1), 3)
  .option('--storm-base <n>', 'storm: listeners already in', int(0), 2000)
  .option('--storm-stay', 'storm: joiners stay after their first audio (the audience grows; their fan-out is then subtracted from the join cost) instead of leaving at once')
  .option('--join-rate <n>', "AMPHI_JOIN_RATE for the server: joins it admits per second before its waiting line (default: the server's)", int(1))
  .option('--sockets <uws|ws>', 'AMPHI_LISTENER_SOCKETS for the server: the listener socket library (default: the server\'s, uws)', (v: string) => {
    if (v !== 'uws' && v !== 'ws') throw new InvalidArgumentError('uws or ws');
    return v;
  })
  .option('--join-timeout <s>', 'storm: a join without audio after this long failed, seconds', positive, 30)
  .option('--slow-listeners <n>', 'slow: listeners in all', int(2), 2000)
  .option('--slow-share <f>', 'slow: share of them that stop reading', share, 0.2)
  .option('--slow-seconds <s>', 'slow: window while they do not read, seconds (kernel buffers hold ~1 min of audio first)', positive, 60)
  .option('--edges <n>', 'cluster: edge processes (one is killed in the edge failover)', int(2), 2)
  .option('--failover-listeners <n>', 'cluster: listeners on each edge through the origin kill, edge kill and NATS restart', int(1), 2000)
  .option('--no-icecast', 'cluster: skip the Icecast2 ramp at the edge\'s write rate that follows the cluster')
  .option('--hands <n>', 'hands: accounts that raise a hand', int(1), 50_000)
  .option('--hand-rate <n>', 'hands: raises started per second', int(1), 1000)
  .option('--out <dir>', 'where benchmarks.md, benchmarks.json and plots/ go', 'docs')
  .addHelpText('after', `\nScenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(8)} ${s.summary}`).join('\n')}\n  all      ${ALL.join(', ')}\n`);

interface CliOptions {
  listeners: number[];
  duration: number;
  settle: number;
  batchMs: number;
  serverCore: number | null;
  loadgenCore: number | null;
  p99Budget: number;
  concurrency: number;
  stormRate: number;
  stormRepeat: number;
  stormSeconds: number;
  stormBase: number;
  janusSteps: number[];
  janusPeer: 'light' | 'wrtc';
  stormTickets: StormJoinPath;
  stormStay?: boolean;
  joinTimeout: number;
  joinRate?: number;
  sockets?: 'uws' | 'ws';
  slowListeners: number;
  slowShare: number;
  slowSeconds: number;
  edges: number;
  failoverListeners: number;
  icecast: boolean;
  hands: number;
  handRate: number;
  out: string;
}

/** this process runs the synthetic speaker: keep it off the server's core */
function pinSelf(coreId: number | null): void {
  if (coreId === null) return;
  execFileSync('taskset', ['-a', '-cp', String(coreId), String(process.pid)], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  program.parse();
  const name = program.args[0] ?? '';
  const o = program.opts<CliOptions>();
  if (name === 'report') {
    // Re-renders the report from benchmarks.json without measuring anything.
    const outDir = resolve(REPO, o.out);
    await writeReport(outDir, readRuns(join(outDir, 'benchmarks.json')));
    return;
  }
  const chosen = name === 'all' ? ALL.map((n) => scenarioNamed(n)) : [scenarioNamed(name)];
  if (chosen.some((s) => s === undefined)) program.error(`unknown scenario "${name}"; choose ${SCENARIOS.map((s) => s.name).join(', ')} or all`);
  if (o.batchMs % 20 !== 0) program.error('--batch-ms must be a multiple of 20');
  // a token storm joins with one token fetched before it; joins after the token expired would fail for that
  if (o.stormTickets === 'token' && o.stormSeconds + o.joinTimeout >= LISTEN_TICKET_MS / 1000) {
    program.error(`--storm-tickets token: --storm-seconds plus --join-timeout must stay under the join token's ${LISTEN_TICKET_MS / 1000} s life`);
  }
  pinSelf(o.loadgenCore);
  const openFiles = fileLimit();
  const opts: BenchOptions = {
    repo: REPO,
    outDir: resolve(REPO, o.out),
    steps: o.listeners,
    windowMs: o.duration * 1000,
    settleMs: o.settle * 1000,
    batchMs: o.batchMs,
    serverCore: o.serverCore,
    loadgenCore: o.loadgenCore,
    p99BudgetMs: o.p99Budget,
    concurrency: o.concurrency,
    stormRate: o.stormRate,
    stormMs: o.stormSeconds * 1000,
    stormBase: o.stormBase,
    stormRepeat: o.stormRepeat,
    janusSteps: o.janusSteps,
    janusPeer: o.janusPeer,
    stormTickets: o.stormTickets,
    stormStay: o.stormStay === true,
    joinTimeoutMs: o.joinTimeout * 1000,
    slowListeners: o.slowListeners,
    slowShare: o.slowShare,
    slowMs: o.slowSeconds * 1000,
    clusterEdges: o.edges,
    failoverListeners: o.failoverListeners,
    clusterIcecast: o.icecast,
    hands: o.hands,
    handRate: o.handRate,
    openFiles,
    serverEnv: {
      ...(o.joinRate !== undefined && { AMPHI_JOIN_RATE: String(o.joinRate) }),
      ...(o.sockets !== undefined && { AMPHI_LISTENER_SOCKETS: o.sockets }),
    },
    run: {
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
      date: new Date().toISOString(),
      machine: machine(),
      openFiles,
      loadAverage: loadavg()[0] ?? 0,
    },
  };
  const jsonFile = join(opts.outDir, 'benchmarks.json');
  let runs = readRuns(jsonFile);
  for (const scenario of chosen) {
    if (scenario === undefined) continue;
    note(`== ${scenario.name}`);
    const result = await scenario.run({ ...opts, run: { ...opts.run, date: new Date().toISOString(), loadAverage: loadavg()[0] ?? 0 } });
    runs = withResult(runs, result);
    // Written after each scenario, so a later failure keeps what was measured.
    await writeReport(opts.outDir, runs);
  }
}

async function writeReport(outDir: string, runs: ReturnType<typeof readRuns>): Promise<void> {
  const json = summarize(runs);
  mkdirSync(join(outDir, 'plots'), { recursive: true });
  const plots = await renderPlots(runs, join(outDir, 'plots'));
  const jsonFile = join(outDir, 'benchmarks.json');
  writeFileSync(jsonFile, JSON.stringify({ ...json, ...keptFigures(jsonFile) }, null, 2) + '\n');
  const mdFile = join(outDir, 'benchmarks.md');
  writeFileSync(mdFile, keepOtherSections(existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '', renderMarkdown(json, plots)));
  note(`wrote ${join(outDir, 'benchmarks.md')}, benchmarks.json and ${plots.length} plots`);
}

const bail = (code: number): void => {
  killAllChildren();
  // wrtc (the synthetic speaker) can crash on a natural exit: leave explicitly (DESIGN §3).
  process.exit(code);
};
process.once('SIGINT', () => bail(130));
process.once('SIGTERM', () => bail(143));
main().then(
  () => bail(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    bail(1);
  },
);
