/**
 * @module test/support/cluster-site — a real three-node Amphi cluster inside the test's own process, for
 * the scenarios that step a controlled clock (live-site.ts): one origin and two edges, each a whole
 * `startAmphi` with its role, node id, data directory, HTTP and listener ports, its own NATS
 * connections (to the file's nats-server, never the machine's 4222) and its own PostgreSQL pool on a
 * schema of the cluster's own. Nothing ties the nodes together but NATS and PostgreSQL, as between
 * processes. They share one process only because the scenarios' time is a function the test moves
 * (`now`), which separate processes cannot share. What that changes against separate processes:
 * - one event loop: a node that blocks holds the other two (messages between them still cross NATS's
 *   TCP connections, so their order is as loose as between processes);
 * - one clock: the nodes' `now` is one function and never drifts apart, as real nodes' clocks do (leases
 *   and revocations compare times taken on different nodes); presence and NATS keep real time;
 * - modules are loaded once, so module-level state is shared: src/ keeps only a cache of signing keys
 *   by secret and a counter naming uWS topics, neither of which changes what a node does (each node
 *   builds its own hub, seams, store, metrics registry, uWS app and program thread);
 * - no process-level handlers: SIGTERM's drain and the exit codes are main()'s, which does not run here;
 * - nodes stop in order (close), never by a crash: the scenarios that need no controlled clock run on
 *   processes too, with a crash for a restart (room-live-processes.test.ts), and `kill -9` of a node is
 *   proven with processes in test/cluster-*.test.ts and fanout-restart-cluster.test.ts.
 * `tick()` waits for each node's NATS round trips (Amphi.settle) before and after the nodes tick, so what
 * one node published has been handled by the others: scenarios never sleep. Test code only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropSchemas, inSchema, PG_TEST_URL, testSchemaName } from '../../src/store/pg-availability.test-helper.ts';
import { startTestServer, type TestServer } from './amphi-server.ts';
import { untilCounted, type LiveSite, type OpenSite } from './live-site.ts';

const ROLES = ['origin', 'edge', 'edge'] as const;
let sites = 0;

async function createSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_TEST_URL });
  await admin.connect();
  try {
    await admin.query(`create schema if not exists "${schema}"`);
  } finally {
    await admin.end();
  }
}

/** `natsUrl`: the file's nats-server, asked when a cluster starts (after the file's beforeAll) */
export function clusterSite(natsUrl: () => string): OpenSite {
  return async (now) => {
    sites += 1;
    const schema = testSchemaName('live_cluster');
    const dir = mkdtempSync(join(tmpdir(), 'amphi-live-cluster-'));
    await createSchema(schema);
    const cleanUp = async (): Promise<void> => {
      await dropSchemas(PG_TEST_URL, [schema]);
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      return await startCluster({ natsUrl: natsUrl(), now, schema, dir, tag: `c${process.pid}-${sites}`, cleanUp });
    } catch (err) {
      await cleanUp();
      throw err;
    }
  };
}

interface ClusterSpec {
  readonly natsUrl: string;
  readonly now: () => number;
  readonly schema: string;
  readonly dir: string;
  readonly tag: string;
  /** drops the schema and the data directories: once, when the last generation of nodes closes */
  readonly cleanUp: () => Promise<void>;
}

async function startCluster(spec: ClusterSpec): Promise<LiveSite> {
  const start = (role: (typeof ROLES)[number], i: number): Promise<TestServer> => {
    const nodeId = `${spec.tag}-${i === 0 ? 'origin' : `edge-${i}`}`;
    return startTestServer({
      databaseUrl: inSchema(PG_TEST_URL, spec.schema),
      dataDir: join(spec.dir, nodeId),
      now: spec.now,
      env: {
        AMPHI_NATS_URL: spec.natsUrl,
        AMPHI_NODE_ROLE: role,
        AMPHI_NODE_ID: nodeId,
        AMPHI_SECRET: `${spec.tag}-cluster-secret-long-enough-0123456789`,
      },
    });
  };
  // the origin first: it migrates the schema; the edges then open the same database side by side
  const origin = await start('origin', 0);
  const nodes: TestServer[] = [origin];
  try {
    nodes.push(...(await Promise.all([start('edge', 1), start('edge', 2)])));
  } catch (err) {
    for (const n of nodes) await n.close();
    throw err;
  }
  const stopNodes = async (): Promise<void> => {
    for (const n of [...nodes].reverse()) await n.close();
  };
  /** two rounds: the first gets what every node published to the server, the second has it handled */
  const settle = async (): Promise<void> => {
    for (let round = 0; round < 2; round += 1) await Promise.all(nodes.map((n) => n.settle()));
  };
  let closed: Promise<void> | null = null;
  return {
    size: nodes.length,
    url: (i) => (nodes[i % nodes.length] ?? origin).url,
    store: origin.store,
    tick: async () => {
      await settle();
      for (const n of nodes) await n.clock.tick();
      await settle();
    },
    counted: (roomId, n) => untilCounted(nodes.map((s) => s.url), roomId, n),
    restart: async () => {
      closed ??= stopNodes();
      await closed;
      return startCluster(spec);
    },
    close: () =>
      (closed ??= (async () => {
        await stopNodes();
        await spec.cleanUp();
      })()),
  };
}
