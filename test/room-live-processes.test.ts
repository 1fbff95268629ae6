/**
 * Runs the room live-state scenarios that need no controlled clock on a cluster of real processes: an
 * origin and two edges (`node --import tsx src/main.ts` each), real NATS (a nats-server this file
 * starts) and real PostgreSQL (a schema of its own), the host on the origin and everyone else on the
 * edges. These are removal closing sockets on another node, the end of a room closing them everywhere,
 * and a restart that loses nothing, here a crash: all three killed with SIGKILL and started again. The
 * scenarios that step the room clock or move time run on the in-process cluster
 * (room-live-cluster.test.ts). Without PostgreSQL or nats-server the file skips with one loud line (and
 * fails under CI=true).
 */
import { describe } from 'vitest';
import { processClusterSite } from './support/process-cluster-site.ts';
import { testCluster } from './support/test-cluster.ts';
import { runRoomLiveScenarios } from './room-live.scenarios.ts';

const cluster = await testCluster('live_processes');

describe.skipIf(!cluster.up)('on a cluster of processes', () => {
  runRoomLiveScenarios('processes: an origin and two edges on NATS and PostgreSQL', processClusterSite(cluster), 'real');
});
