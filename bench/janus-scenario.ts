/**
 * @module bench/janus-scenario — the WebRTC way of serving Amphi's audience, measured as a peer:
 * Debian's Janus with its Streaming plugin and one RTP mountpoint fed the same 32 kbit/s Opus program,
 * listeners as WebRTC peers in a generator process on another core: light ones by default (real ICE and
 * DTLS, packets counted from their clear RTP headers; measured at ~1.7 ms of generator CPU per
 * listener-second against ~9 for a wrtc peer, so one generator core outlasts Janus's), or @roamhq/wrtc
 * peers with `--peer wrtc`. Listeners are ramped in steps; each step gets a settle pause and a steady
 * window measuring Janus's CPU (user and system, all threads) and RSS, and what every listener received
 * and lost. The ramp stops at the first step not fully served or at a full core (Janus's, or the
 * generator's, and it says which).
 * `janusListenersPerCore` follows Amphi's fanout rule. Runs on its own too:
 * `npx tsx bench/janus-scenario.ts --steps 20,50 --duration 5 [--peer wrtc]` prints the result as JSON.
 * Whatever happens, Janus, ffmpeg and the generator are stopped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FRAME_MS, PROGRAM_KBPS } from './janus-config.ts';
import { DEFAULT_JANUS_PEER, JANUS_PEER_KINDS, type JanusPeerKind } from './janus-listener-peer.ts';
import { JanusListeners } from './janus-listeners.ts';
import type { JanusResult, JanusStep } from './janus-result.ts';
import { startJanusServer, type JanusServer } from './janus-server.ts';
import { bestOf, DEFAULT_JANUS_STEPS, limitOf, msPerListenerSecond, perCore, stepOk, stopAfter } from './janus-steps.ts';
import type { JanusWindowReport } from './janus-protocol.ts';
import { killAllChildren } from './pinned-child.ts';
import { coreShareBetween, coreTimes, type CoreShare } from './janus-core-stats.ts';
import { cpuBetween, cpuTimes, machine, rssKiB, type CpuUse } from './proc-stats.ts';
import { bar, note, timedBar } from './progress.ts';

export type { JanusPackets, JanusResult, JanusStep } from './janus-result.ts';

export interface JanusScenarioOptions {
  /** listener counts to ramp through */
  readonly steps: readonly number[];
  /** steady measuring window per step */
  readonly windowMs: number;
  readonly serverCore: number | null;
  readonly loadgenCore: number | null;
  /** pause after a ramp before measuring (default 2 s) */
  readonly settleMs?: number;
  /** peers negotiating at once while ramping (default 10) */
  readonly concurrency?: number;
  /** a peer not connected by then failed (default 20 s) */
  readonly peerTimeoutMs?: number;
  /** the listeners' implementation (default light: bench/janus-listener-peer.ts says why) */
  readonly peer?: JanusPeerKind;
}

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

function threadsOf(pid: number): number {
  const m = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

interface Measured {
  readonly janusCpu: CpuUse;
  readonly loadgenCpu: CpuUse;
  readonly janusCore: CoreShare;
  readonly loadgenCore: CoreShare;
  readonly janusRssKiB: number;
  readonly janusThreads: number;
  readonly window: JanusWindowReport;
}

interface Cores {
  readonly server: number | null;
  readonly loadgen: number | null;
}

/**
 * One window: both processes' CPU from /proc (utime/stime of the process count every thread, wrtc's
 * native ones included) and their cores' counters, read after the listeners' start samples and before
 * their end samples, so the generator's sampling work stays out of its own figure.
 */
async function measure(janus: JanusServer, gen: JanusListeners, cores: Cores, label: string, ms: number): Promise<Measured> {
  const coreOf = (c: number | null): ReturnType<typeof coreTimes> => (c === null ? null : coreTimes(c));
  await gen.windowStart();
  const j0 = cpuTimes(janus.pid);
  const g0 = cpuTimes(gen.pid);
  const jc0 = coreOf(cores.server);
  const gc0 = coreOf(cores.loadgen);
  await timedBar(label, ms);
  const j1 = cpuTimes(janus.pid);
  const g1 = cpuTimes(gen.pid);
  const jc1 = coreOf(cores.server);
  const gc1 = coreOf(cores.loadgen);
  const janusCpu = cpuBetween(j0, j1);
  const loadgenCpu = cpuBetween(g0, g1);
  const window = await gen.windowEnd();
  return {
    janusCpu,
    loadgenCpu,
    janusCore: coreShareBetween(jc0, jc1, janusCpu.userMs + janusCpu.sysMs),
    loadgenCore: coreShareBetween(gc0, gc1, loadgenCpu.userMs + loadgenCpu.sysMs),
    janusRssKiB: rssKiB(janus.pid),
    janusThreads: threadsOf(janus.pid),
    window,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

export async function runJanusScenario(opts: JanusScenarioOptions): Promise<JanusResult> {
  const settleMs = opts.settleMs ?? 2000;
  const concurrency = opts.concurrency ?? 10;
  const peerTimeoutMs = opts.peerTimeoutMs ?? 20_000;
  const peer = opts.peer ?? DEFAULT_JANUS_PEER;
  const steps = [...new Set(opts.steps)].filter((s) => s > 0).sort((a, b) => a - b);
  const date = new Date().toISOString();
  const loadAverage = loadavg()[0] ?? 0;
  const janus = await startJanusServer({ core: opts.serverCore, feederCore: opts.loadgenCore });
  let gen: JanusListeners | null = null;
  try {
    gen = await JanusListeners.start(REPO, opts.loadgenCore);
    const cores: Cores = { server: opts.serverCore, loadgen: opts.loadgenCore };
    note(`listeners: ${peer === 'light' ? 'light (real ICE and DTLS, packets counted from their clear RTP headers)' : 'wrtc (@roamhq/wrtc peers)'}`);
    const idle = await measure(janus, gen, cores, 'Janus idle (program fed, no listener)', Math.min(opts.windowMs, 5000));
    const results: JanusStep[] = [];
    let stopReason = 'every step was served and no core saturated';
    let held = 0;
    for (const target of steps) {
      const ramp = bar(`ramp to ${target} ${peer} WebRTC listeners`, target - held);
      const opened = await gen.open(
        { base: janus.api.base, mountpointId: janus.mountpointId, peer, count: target - held, concurrency, timeoutMs: peerTimeoutMs },
        (done) => ramp.update(done),
      );
      ramp.stop();
      held = opened.total;
      await new Promise((r) => setTimeout(r, settleMs));
      const m = await measure(janus, gen, cores, `window at ${target} listeners`, opts.windowMs);
      const w = m.window;
      const listeners = w.listeners;
      const step: JanusStep = {
        target,
        listeners,
        connected: w.connected,
        openFailures: opened.failures,
        openMs: opened.ms,
        wallMs: w.wallMs,
        janusCpu: m.janusCpu,
        janusCoreOthersShare: m.janusCore.othersShare,
        janusCoreStealShare: m.janusCore.stealShare,
        janusRssKiB: m.janusRssKiB,
        janusThreads: m.janusThreads,
        rssPerListenerKiB: listeners > 0 ? (m.janusRssKiB - idle.janusRssKiB) / listeners : 0,
        loadgenCpu: m.loadgenCpu,
        loadgenCoreOthersShare: m.loadgenCore.othersShare,
        loadgenEventLoopP99Ms: w.eventLoopP99Ms,
        packets: {
          received: w.packetsReceived,
          expected: w.packetsExpected,
          lost: w.packetsLost,
          receivedPerListener: listeners > 0 ? w.packetsReceived / listeners : 0,
          lostPerListener: listeners > 0 ? w.packetsLost / listeners : 0,
          receivedShare: w.packetsExpected > 0 ? w.packetsReceived / w.packetsExpected : 0,
          behind: w.behind,
          jitterMsMean: w.jitterMsMean,
          jitterMsMax: w.jitterMsMax,
        },
        keepaliveFailures: w.keepaliveFailures,
        listenersPerCore: perCore(listeners, m.janusCpu.cores),
        ok: stepOk(target, w),
        limitedBy: limitOf({
          janusCores: m.janusCpu.cores,
          loadgenCores: m.loadgenCpu.cores,
          janusCoreTaken: m.janusCore.othersShare + m.janusCore.stealShare,
          loadgenCoreTaken: m.loadgenCore.othersShare + m.loadgenCore.stealShare,
        }),
      };
      results.push(step);
      note(
        `${target} listeners: ${w.connected}/${listeners} connected, ${(step.packets.receivedShare * 100).toFixed(1)}% of packets received, ` +
          `lost ${w.packetsLost}, behind ${w.behind}, jitter mean ${w.jitterMsMean.toFixed(1)} ms; Janus ${pct(m.janusCpu.cores)} of a core ` +
          `(user ${pct(m.janusCpu.userShare)}), ${m.janusThreads} threads, RSS ${(m.janusRssKiB / 1024).toFixed(0)} MiB, others took ${pct(m.janusCore.othersShare)} of its core (steal ${pct(m.janusCore.stealShare)}); ` +
          `generator ${pct(m.loadgenCpu.cores)} (others ${pct(m.loadgenCore.othersShare)}, ${msPerListenerSecond(m.loadgenCpu.cores, listeners).toFixed(2)} ms per listener-second) -> ${step.ok ? 'ok' : 'NOT SERVED'} (${step.listenersPerCore.toFixed(0)} listeners/core, limit ${step.limitedBy})`,
      );
      const why = stopAfter(step);
      if (why !== null) {
        stopReason = why;
        break;
      }
    }
    return {
      scenario: 'janus',
      date,
      machine: machine(),
      loadAverage,
      janusVersion: janus.version,
      peer,
      serverCore: opts.serverCore,
      loadgenCore: opts.loadgenCore,
      windowMs: opts.windowMs,
      settleMs,
      program: { codec: 'opus', kbps: PROGRAM_KBPS, frameMs: FRAME_MS },
      idle: { cpu: idle.janusCpu, rssKiB: idle.janusRssKiB, threads: idle.janusThreads },
      steps: results,
      ...bestOf(results),
      stopReason,
    };
  } finally {
    if (gen !== null) {
      await gen.closeAll().catch(() => undefined);
      await gen.stop();
    }
    await janus.stop();
  }
}

// ---- running it on its own ----------------------------------------------------------------------

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function parseArgs(args: readonly string[]): JanusScenarioOptions {
  const num = (name: string, fallback: number): number => {
    const raw = argValue(args, name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new TypeError(`${name} wants a positive number, got '${raw}'`);
    return n;
  };
  const core = (name: string, fallback: number | null): number | null => {
    const raw = argValue(args, name);
    if (raw === undefined) return fallback;
    if (raw === 'none') return null;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`${name} wants a core number or 'none', got '${raw}'`);
    return n;
  };
  const steps = (argValue(args, '--steps') ?? DEFAULT_JANUS_STEPS.join(',')).split(',').map(Number);
  if (steps.some((s) => !Number.isInteger(s) || s < 1)) throw new TypeError('--steps wants comma-separated listener counts, e.g. 50,100,200');
  const two = machine().nproc >= 2;
  const peer = argValue(args, '--peer') ?? DEFAULT_JANUS_PEER;
  if (!(JANUS_PEER_KINDS as readonly string[]).includes(peer)) throw new TypeError(`--peer wants ${JANUS_PEER_KINDS.join(' or ')}, got '${peer}'`);
  return {
    steps,
    peer: peer as JanusPeerKind,
    windowMs: num('--duration', 10) * 1000,
    settleMs: num('--settle', 2) * 1000,
    concurrency: num('--concurrency', 10),
    serverCore: core('--server-core', two ? 0 : null),
    loadgenCore: core('--loadgen-core', two ? 1 : null),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const bail = (code: number): void => {
    killAllChildren();
    // Janus and ffmpeg are killed by their own exit hooks (bench/janus-server.ts).
    process.exit(code);
  };
  process.once('SIGINT', () => bail(130));
  process.once('SIGTERM', () => bail(143));
  try {
    const opts = parseArgs(process.argv.slice(2));
    // This process only coordinates; keep it off Janus's core all the same.
    if (opts.loadgenCore !== null) execFileSync('taskset', ['-a', '-cp', String(opts.loadgenCore), String(process.pid)], { stdio: 'ignore' });
    runJanusScenario(opts).then(
      (result) => {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        bail(0);
      },
      (err: unknown) => {
        process.stderr.write(`janus scenario failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        bail(1);
      },
    );
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    bail(2);
  }
}
