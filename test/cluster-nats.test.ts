/**
 * NATS goes away under a live room (issue 16): an origin and an edge as processes, real PostgreSQL (a
 * schema of its own) and nats-servers this test starts. First one nats-server is killed and started
 * again on its port; then, on a 3-server NATS cluster, two of its servers are killed one after the
 * other. Each time the room goes on: the edge's listener keeps its socket, the program comes back by
 * itself with the numbering intact (no duplicate, no reset) and the gap in it is at most 2 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { natsServerForTests, startTestNats, startTestNatsCluster } from '../src/bus/nats-server.test-helper.ts';
import { rms } from '../src/media/tone-analysis.test-helper.ts';
import { dropSchemas, inSchema, PG_TEST_URL, postgresForTests, testSchemaName } from '../src/store/pg-availability.test-helper.ts';
import { startAmphiProcess, type AmphiProcess } from './support/amphi-process.ts';
import { ProgramListener } from './support/program-listener.ts';
import { liveToneRoom } from './support/live-tone-room.ts';

const pgUp = await postgresForTests();
const natsUp = natsServerForTests();
const schemas: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'amphi-cluster-nats-'));
const SECRET = 'nats-outage-test-secret-that-is-long-enough-0123456789';
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(async () => {
  if (pgUp) await dropSchemas(PG_TEST_URL, schemas);
  rmSync(dir, { recursive: true, force: true });
});

async function freshSchema(name: string): Promise<string> {
  const schema = testSchemaName(name);
  schemas.push(schema);
  const admin = new pg.Client({ connectionString: PG_TEST_URL });
  await admin.connect();
  await admin.query(`create schema if not exists "${schema}"`);
  await admin.end();
  return schema;
}

/** an origin and an edge on `natsUrl`, a host speaking 440 Hz live, and a listener on the edge */
async function liveRoom(natsUrl: string, schema: string): Promise<ProgramListener> {
  const start = async (name: string, role: 'origin' | 'edge'): Promise<AmphiProcess> => {
    const p = await startAmphiProcess({
      AMPHI_NATS_URL: natsUrl,
      AMPHI_NODE_ROLE: role,
      AMPHI_NODE_ID: `${schema}-${name}`,
      AMPHI_DATABASE_URL: inSchema(PG_TEST_URL, schema),
      AMPHI_DATA_DIR: join(dir, schema, name),
      AMPHI_SECRET: SECRET,
    });
    cleanup.push(() => p.stop().catch(() => undefined));
    return p;
  };
  const origin = await start('origin', 'origin');
  const edge = await start('edge', 'edge');
  const { roomId } = await liveToneRoom(origin.url, 'NATS outage', cleanup);
  const l = await ProgramListener.open(edge.url, roomId, null);
  cleanup.push(() => l.close());
  await l.until(() => l.frames.length >= 100 && rms(l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - 400)) > 0.05, 30_000);
  return l;
}

/** runs `outage`, then waits for 2 s of program after it; returns the longest gap (ms of room time) seen around it */
async function gapThrough(l: ProgramListener, outage: () => Promise<void>): Promise<number> {
  const from = l.frames.length - 1;
  await outage();
  const back = Date.now();
  await l.until(() => (l.frames.at(-1)?.captureTimeMs ?? 0) > back + 2000, 30_000);
  let gap = 0;
  for (let i = Math.max(1, from); i < l.frames.length; i += 1) {
    const [p, f] = [l.frames[i - 1], l.frames[i]];
    if (p !== undefined && f !== undefined) gap = Math.max(gap, f.captureTimeMs - p.captureTimeMs - 20);
  }
  return gap;
}

const strictlyRising = (l: ProgramListener): void => {
  const seqs = l.frames.map((f) => f.seq);
  for (let i = 1; i < seqs.length; i += 1) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? 0);
};

describe.skipIf(!pgUp || !natsUp)('NATS goes away under a live room', () => {
  it('one nats-server killed and started again: the program comes back within 2 s, the listener never reconnects', { timeout: 120_000 }, async () => {
    const nats = await startTestNats();
    cleanup.push(() => nats.stop());
    const l = await liveRoom(nats.url, await freshSchema('natsrestart'));
    const gap = await gapThrough(l, async () => {
      nats.kill();
      await nats.restart();
    });
    process.stdout.write(`NATS restart: program gap ${gap.toFixed(0)} ms\n`);
    expect(gap).toBeLessThanOrEqual(2000);
    expect(l.closed).toBeNull();
    strictlyRising(l);
    expect(rms(l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - 1000))).toBeGreaterThan(0.05);
  });

  it('a 3-server NATS cluster loses two servers one after the other: each time the program comes back within 2 s', { timeout: 120_000 }, async () => {
    const cluster = await startTestNatsCluster(3);
    cleanup.push(() => cluster.stop());
    const l = await liveRoom(cluster.url, await freshSchema('natscluster'));
    const gaps: number[] = [];
    for (const server of cluster.servers.slice(0, 2)) gaps.push(await gapThrough(l, async () => server.kill()));
    process.stdout.write(`NATS cluster node kills: program gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms\n`);
    for (const g of gaps) expect(g).toBeLessThanOrEqual(2000);
    expect(l.closed).toBeNull();
    strictlyRising(l);
    expect(rms(l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - 1000))).toBeGreaterThan(0.05);
  });
});
