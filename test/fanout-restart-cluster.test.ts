/**
 * Runs the crash-and-resume fan-out scenario on a cluster of processes: an origin and two edges, real
 * NATS (a nats-server this file starts) and real PostgreSQL (a schema of its own). Every node runs the
 * fan-out worker, so the nodes work the go-live job in turns (each at a third of the rate; at least two
 * of them have written batches when the crash comes); the crash kills all three with SIGKILL at once
 * mid-job, and the restart starts all three again on the same database. The host's calls go through an edge. Without PostgreSQL or nats-server the file skips with
 * one loud line (and fails under CI=true).
 */
import pg from 'pg';
import { describe, expect } from 'vitest';
import type { AmphiProcess } from './support/amphi-process.ts';
import { runFanoutRestart } from './fanout-restart.scenario.ts';
import { seedPostgres } from './support/follower-graph.ts';
import { testCluster } from './support/test-cluster.ts';

const { up, node, databaseUrl } = await testCluster('restart_cluster');

describe.skipIf(!up)('on a cluster', () => {
  runFanoutRestart('cluster', async () => ({
    start: async (env, rate) => {
      const each = { ...env, AMPHI_NOTIFY_RATE: String(Math.max(1, Math.round(rate / 3))) };
      // the origin first: on the first start it creates the schema's tables
      const origin = await node('r-origin', 'origin', each);
      const edges = await Promise.all([node('r-edge-1', 'edge', each), node('r-edge-2', 'edge', each)]);
      const all: AmphiProcess[] = [origin, ...edges];
      return {
        url: edges[0]?.url ?? origin.url,
        crash: async () => {
          // the job was worked by more than one node before the crash (each logs its batches)
          const working = all.filter((p) => p.log.some((l) => l['msg'] === 'fan-out progress'));
          expect(working.length).toBeGreaterThanOrEqual(2);
          await Promise.all(all.map((p) => p.kill()));
        },
        stop: async () => {
          for (const p of all.reverse()) await p.stop();
        },
      };
    },
    seed: (hostId, roomId, followers) => seedPostgres(databaseUrl, { hostId, followers, roomId, reminders: 300, listenEvery: 7, at: Date.now() }),
    counts: async (roomId) => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        const r = await c.query<{ u: string; n: string }>("select user_id as u, count(*) as n from notifications where room_id = $1 and kind = 'room_live' group by user_id", [roomId]);
        return new Map(r.rows.map((row) => [row.u, Number(row.n)]));
      } finally {
        await c.end();
      }
    },
  }));
});
