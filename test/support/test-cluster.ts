/**
 * @module test/support/test-cluster — Amphi cluster nodes as processes for one test file: a nats-server
 * of the file's own (never the machine's 4222), a PostgreSQL schema of its own, one shared secret, a
 * data dir per node. `testCluster` registers the file's beforeAll/afterAll: at the end it runs the
 * test's cleanups, stops every node, the nats-server, and drops the schema. `up` is false when
 * PostgreSQL or nats-server is missing (the file then skips). Test code only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { natsServerForTests, startTestNats, type TestNats } from '../../src/bus/nats-server.test-helper.ts';
import { dropSchemas, inSchema, PG_TEST_URL, postgresForTests, testSchemaName } from '../../src/store/pg-availability.test-helper.ts';
import { startAmphiProcess, type AmphiProcess } from './amphi-process.ts';

export interface TestCluster {
  /** PostgreSQL and nats-server are both there */
  readonly up: boolean;
  /** the nodes' database: PostgreSQL pinned to the file's schema (to read what they wrote) */
  readonly databaseUrl: string;
  /** the file's nats-server, once beforeAll ran (tests may kill and restart it) */
  nats(): TestNats | null;
  /** starts a node; start the first alone: it creates the schema's tables */
  node(name: string, role: 'origin' | 'edge', env?: Record<string, string>): Promise<AmphiProcess>;
  /** what the test opened (sockets, speakers): closed at the end, newest first, before the nodes stop */
  readonly cleanup: Array<() => void>;
}

/** the origin a node's listener sockets are reached at on this machine */
export const listenerOrigin = (p: AmphiProcess): string => `ws://127.0.0.1:${p.listenPort}`;

/** the node holding the room's lease now (an unexpired one), once one does: read from the nodes' database */
export async function leaseHolder(databaseUrl: string, roomId: string): Promise<string> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (let i = 0; i < 100; i += 1) {
      const r = await db.query<{ node_id: string; expires_at: string }>('select node_id, expires_at from room_leases where room_id = $1', [roomId]);
      const row = r.rows[0];
      if (row !== undefined && Number(row.expires_at) > Date.now()) return row.node_id;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('no node holds the room');
  } finally {
    await db.end();
  }
}

export async function testCluster(name: string): Promise<TestCluster> {
  const up = (await postgresForTests()) && natsServerForTests();
  const schema = testSchemaName(name);
  const databaseUrl = inSchema(PG_TEST_URL, schema);
  const dir = mkdtempSync(join(tmpdir(), `amphi-${name}-`));
  const secret = `${name}-test-secret-that-is-long-enough-0123456789`;
  let nats: TestNats | null = null;
  const procs: AmphiProcess[] = [];
  const cleanup: Array<() => void> = [];

  beforeAll(async () => {
    if (!up) return;
    const admin = new pg.Client({ connectionString: PG_TEST_URL });
    await admin.connect();
    await admin.query(`create schema if not exists "${schema}"`);
    await admin.end();
    nats = await startTestNats();
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanup.splice(0).reverse()) c();
    for (const p of procs) await p.stop().catch(() => undefined);
    await nats?.stop();
    if (up) await dropSchemas(PG_TEST_URL, [schema]);
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    up,
    databaseUrl,
    nats: () => nats,
    cleanup,
    node: async (nodeName, role, env = {}) => {
      const p = await startAmphiProcess({
        AMPHI_NATS_URL: nats?.url ?? '',
        AMPHI_NODE_ROLE: role,
        AMPHI_NODE_ID: nodeName,
        AMPHI_DATABASE_URL: databaseUrl,
        AMPHI_DATA_DIR: join(dir, nodeName),
        AMPHI_SECRET: secret,
        ...env,
      });
      procs.push(p);
      return p;
    },
  };
}
