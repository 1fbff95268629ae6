/**
 * @module bench/cluster-nodes — the cluster a bench runs against, as an operator would run it: a
 * nats-server of the bench's own, a PostgreSQL schema of its own in the `test` database, two
 * origin-capable processes (so one can be killed and the other take the room) and N edges, each node
 * `node --import tsx src/main.ts` with AMPHI_NATS_URL, AMPHI_NODE_ROLE, AMPHI_NODE_ID and one shared
 * AMPHI_SECRET, pinned to its core. It answers which node holds a room's lease (room_leases) and kills
 * a node or NATS on request. `stop` ends every process and drops the schema, also after a failure; it
 * never touches the machine's NATS service or another schema.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropSchemas, inSchema, PG_TEST_URL, testSchemaName } from '../src/store/pg-availability.test-helper.ts';
import { redactUrl } from '../src/store/redact-url.ts';
import { startBenchNats, type BenchNats } from './nats-process.ts';
import { note } from './progress.ts';
import { startAmphiProcess, type AmphiProcess } from './server-process.ts';

export class ClusterBenchError extends Error {
  override readonly name = 'ClusterBenchError';
}

export type NodeRole = 'origin' | 'edge';

export interface ClusterNode {
  /** its AMPHI_NODE_ID, e.g. origin-a, edge-1 */
  readonly name: string;
  readonly role: NodeRole;
  readonly proc: AmphiProcess;
  /** false once the bench killed it */
  readonly alive: boolean;
}

export interface ClusterOptions {
  readonly repo: string;
  readonly edges: number;
  readonly edgeCore: number | null;
  /** origins and nats-server go here (they carry no listener) */
  readonly originCore: number | null;
  readonly batchMs: number;
  /** AMPHI_* settings for the edges beyond the cluster's own (the CLI's --join-rate, --sockets) */
  readonly edgeEnv: Readonly<Record<string, string>>;
}

export interface BenchCluster {
  readonly nats: BenchNats;
  readonly schema: string;
  readonly origins: readonly ClusterNode[];
  readonly edges: readonly ClusterNode[];
  /** the name of the node holding the room's lease, once one does (waits up to 10 s) */
  leaseHolder(roomId: string): Promise<string>;
  /** SIGKILL a node, as a crash */
  kill(node: ClusterNode): Promise<void>;
  stop(): Promise<void>;
}

class Node implements ClusterNode {
  alive = true;
  constructor(
    readonly name: string,
    readonly role: NodeRole,
    readonly proc: AmphiProcess,
  ) {}
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function createSchema(schema: string): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5000 });
  try {
    await db.connect();
    await db.query(`create schema "${schema}"`);
    await db.query(`set search_path to "${schema}"`);
  } catch (err) {
    await db.end().catch(() => undefined);
    throw new ClusterBenchError(`PostgreSQL is needed for the cluster and did not answer at ${redactUrl(PG_TEST_URL)} (set AMPHI_TEST_DATABASE_URL)`, { cause: err });
  }
  return db;
}

export async function startCluster(o: ClusterOptions): Promise<BenchCluster> {
  if (o.edges < 2) throw new ClusterBenchError('the cluster bench needs at least two edges (one is killed, its listeners move to another)');
  const schema = testSchemaName('benchcluster');
  const db = await createSchema(schema);
  const nodes: Node[] = [];
  let nats: BenchNats | null = null;
  const stop = async (): Promise<void> => {
    for (const n of [...nodes].reverse()) await n.proc.stop().catch(() => undefined);
    await nats?.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await dropSchemas(PG_TEST_URL, [schema]).catch((err: unknown) => note(`dropping schema ${schema} failed: ${err instanceof Error ? err.message : String(err)}`));
  };
  try {
    nats = await startBenchNats(o.originCore, o.repo);
    // one secret for every node: a listen token or session made on one node is good on all
    const secret = randomBytes(32).toString('hex');
    const env = (name: string, role: NodeRole): Record<string, string> => ({
      AMPHI_NATS_URL: nats?.url ?? '',
      AMPHI_NODE_ROLE: role,
      AMPHI_NODE_ID: name,
      AMPHI_DATABASE_URL: inSchema(PG_TEST_URL, schema),
      AMPHI_SECRET: secret,
      ...(role === 'edge' ? o.edgeEnv : {}),
    });
    const start = async (name: string, role: NodeRole): Promise<Node> => {
      const proc = await startAmphiProcess({ repo: o.repo, core: role === 'edge' ? o.edgeCore : o.originCore, batchMs: o.batchMs, env: env(name, role) });
      const n = new Node(name, role, proc);
      nodes.push(n);
      return n;
    };
    // the first origin alone: it runs the migrations that make the schema's tables
    await start('origin-a', 'origin');
    await Promise.all([start('origin-b', 'origin'), ...Array.from({ length: o.edges }, (_, i) => start(`edge-${i + 1}`, 'edge'))]);
  } catch (err) {
    await stop();
    throw err;
  }
  const running = nats;
  const byRole = (role: NodeRole): Node[] => nodes.filter((n) => n.role === role).sort((a, b) => a.name.localeCompare(b.name));
  return {
    nats: running,
    schema,
    origins: byRole('origin'),
    edges: byRole('edge'),
    leaseHolder: async (roomId) => {
      for (let i = 0; i < 200; i++) {
        const r = await db.query<{ node_id: string }>('select node_id from room_leases where room_id = $1', [roomId]);
        const id = r.rows[0]?.node_id;
        if (id !== undefined) return id;
        await pause(50);
      }
      throw new ClusterBenchError(`no node took room ${roomId}'s lease within 10 s`);
    },
    kill: async (node) => {
      const n = nodes.find((x) => x === node);
      if (n === undefined) throw new ClusterBenchError(`${node.name} is not a node of this cluster`);
      await n.proc.kill();
      n.alive = false;
    },
    stop,
  };
}
