/**
 * @module bench/scenarios — the list of scenarios `npm run bench -- <name>` knows, each a name, a line
 * for --help and a run that returns its result. Amphi's scenarios share one setup (bench-context);
 * others (Icecast, Janus, the waiting line) add an entry here with a setup of their own.
 */
import { withAmphi, type BenchOptions } from './bench-context.ts';
import type { ScenarioResult } from './scenario-result.ts';
import { runFanout } from './scenario-fanout.ts';
import { runIcecast } from './scenario-icecast.ts';
import { runCluster } from './scenario-cluster.ts';
import { runJanus } from './scenario-janus.ts';
import { runHands } from './scenario-hands.ts';
import { runSlow } from './scenario-slow.ts';
import { medianStorm, runStorm } from './scenario-storm.ts';
import { note } from './progress.ts';
import type { StormResult } from './results.ts';

export interface Scenario {
  readonly name: string;
  readonly summary: string;
  run(opts: BenchOptions): Promise<ScenarioResult>;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'fanout',
    summary: 'listeners ramped in steps: frame delay, loss, server CPU (user/system), RSS, event-loop delay',
    run: (opts) => withAmphi(opts, runFanout),
  },
  {
    name: 'icecast',
    summary: "the same fanout against Debian's icecast2 fed the same Opus by ffmpeg: same-rate and default settings, HTTP listeners",
    run: runIcecast,
  },
  {
    name: 'janus',
    summary: "the WebRTC way: Debian's Janus Streaming plugin fed the same Opus, WebRTC listeners ramped until Janus or the generator fills its core",
    run: runJanus,
  },
  {
    name: 'storm',
    summary: 'joins at a rate far above capacity: admitted/s, join to first audio, failures, delay of those already in',
    run: async (opts) => {
      const runs: StormResult[] = [];
      for (let i = 1; i <= opts.stormRepeat; i++) {
        if (opts.stormRepeat > 1) note(`storm run ${i} of ${opts.stormRepeat}, on a fresh server`);
        runs.push(await withAmphi(opts, runStorm));
      }
      return medianStorm(runs);
    },
  },
  {
    name: 'cluster',
    summary: 'origin, edges and nats-server as processes on PostgreSQL: listeners per edge core, origin CPU, the NATS hop, origin/edge/NATS failovers, Icecast2 at the same write rate',
    run: runCluster,
  },
  {
    name: 'slow',
    summary: 'a share of listeners stop reading: the others’ delay must not move',
    run: (opts) => withAmphi(opts, runSlow),
  },
  {
    name: 'hands',
    summary: 'N accounts raise hands at R/s while the host acts every second: raise and host-action latency, bytes to the host, room actions/s',
    run: runHands,
  },
];

/** the scenarios `all` runs, in order */
export const ALL = ['fanout', 'icecast', 'janus', 'storm', 'slow', 'cluster'] as const;

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
