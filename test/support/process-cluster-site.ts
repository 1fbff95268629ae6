/**
 * @module test/support/process-cluster-site — a cluster of real Amphi processes as a room scenario's
 * site (live-site.ts), for the scenarios that need no controlled clock: an origin and two edges started
 * with `node --import tsx src/main.ts` on the file's nats-server and PostgreSQL schema (test-cluster.ts),
 * each with its own clock, ticking by itself. It has no `tick()` (a scenario that steps time runs on
 * the in-process cluster, cluster-site.ts). The processes are started once for the file and shared by
 * its scenarios (each makes its own room and people); a restart is a crash: every process is killed
 * with SIGKILL at once and started again on the same database. The store is the test's own connection
 * to that database, to read what the nodes wrote. Test code only.
 */
import { openPostgresStore } from '../../src/store/postgres.ts';
import type { Store } from '../../src/store/types.ts';
import type { AmphiProcess } from './amphi-process.ts';
import { untilCounted, type LiveSite, type OpenSite } from './live-site.ts';
import type { TestCluster } from './test-cluster.ts';

export function processClusterSite(cluster: Pick<TestCluster, 'node' | 'databaseUrl' | 'cleanup'>): OpenSite {
  let nodes: AmphiProcess[] = [];
  let store: Store | null = null;
  const start = async (): Promise<void> => {
    // the origin first: on the first start it creates the schema's tables
    const origin = await cluster.node('l-origin', 'origin');
    nodes = [origin, ...(await Promise.all([cluster.node('l-edge-1', 'edge'), cluster.node('l-edge-2', 'edge')]))];
  };
  const site = (db: Store): LiveSite => ({
    size: nodes.length,
    url: (i) => (nodes[i % nodes.length] ?? nodes[0])?.url ?? '',
    store: db,
    tick: () => Promise.reject(new Error('a cluster of processes keeps its own time: a scenario that steps the clock runs in process (cluster-site.ts)')),
    counted: (roomId, n) => untilCounted(nodes.map((p) => p.url), roomId, n),
    restart: async () => {
      await Promise.all(nodes.map((p) => p.kill()));
      await start();
      return site(db);
    },
    // the processes outlive the scenario: test-cluster.ts stops them when the file ends
    close: async () => undefined,
  });
  return async () => {
    if (nodes.length === 0) await start();
    if (store === null) {
      const opened = await openPostgresStore(cluster.databaseUrl);
      store = opened;
      cluster.cleanup.push(() => void opened.close());
    }
    return site(store);
  };
}
