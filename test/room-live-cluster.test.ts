/**
 * Runs the room live-state scenarios on a cluster: an origin and two edges, real NATS (a nats-server
 * this file starts, never the machine's 4222) and real PostgreSQL (a schema per cluster). The nodes run
 * inside this test's process so that they share the scenarios' controlled clock; cluster-site.ts says
 * exactly what that changes against separate processes. The host is on the origin and everyone else on
 * the edges, so each scenario proves its behaviour across nodes. Without PostgreSQL or nats-server the
 * file skips with one loud line (and fails under CI=true).
 */
import { describe } from 'vitest';
import { natsForFile } from '../src/bus/nats-server.test-helper.ts';
import { postgresForTests } from '../src/store/pg-availability.test-helper.ts';
import { clusterSite } from './support/cluster-site.ts';
import { runRoomLiveScenarios } from './room-live.scenarios.ts';

const pgUp = await postgresForTests();
const nats = natsForFile();

describe.skipIf(!pgUp || !nats.has)('on a cluster', () => {
  runRoomLiveScenarios('cluster: an origin and two edges on NATS and PostgreSQL', clusterSite(() => nats.server().url));
});
