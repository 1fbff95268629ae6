/**
 * @module bench/scenario-result — what any scenario returns: the union the report stores by scenario
 * tag. Kept apart from results.ts so the Janus run (which builds on results.ts's types) can be in it
 * without an import cycle.
 */
import type { FanoutResult, IcecastResult, SlowResult, StormResult } from './results.ts';
import type { JanusRun } from './scenario-janus.ts';
import type { ClusterResult } from './cluster-results.ts';
import type { HandsResult } from './scenario-hands.ts';

export type ScenarioResult = FanoutResult | StormResult | SlowResult | IcecastResult | JanusRun | ClusterResult | HandsResult;
