/**
 * @module bench/scenario-janus — `npm run bench -- janus`: the WebRTC way of serving the same program,
 * Debian's Janus with its Streaming plugin, ramped with WebRTC listeners (light ones by default,
 * @roamhq/wrtc with `--janus-peer wrtc`) until it saturates its core (bench/janus-scenario.ts does the run). This wraps it as a scenario of the report: the command
 * and run info beside the figures, so benchmarks.json holds it like the others. Never edits a figure.
 */
import type { BenchOptions } from './bench-context.ts';
import { runJanusScenario } from './janus-scenario.ts';
import type { JanusResult } from './janus-result.ts';
import type { RunInfo } from './results.ts';

export type JanusRun = JanusResult & Omit<RunInfo, 'date' | 'machine' | 'loadAverage' | 'serverCore' | 'loadgenCore'>;

export async function runJanus(opts: BenchOptions): Promise<JanusRun> {
  const r = await runJanusScenario({
    steps: opts.janusSteps,
    windowMs: opts.windowMs,
    settleMs: opts.settleMs,
    serverCore: opts.serverCore,
    loadgenCore: opts.loadgenCore,
    ...(opts.janusPeer !== undefined && { peer: opts.janusPeer }),
  });
  return { ...r, command: opts.run.command, batchMs: opts.batchMs, serverEnv: {}, openFiles: opts.openFiles };
}
