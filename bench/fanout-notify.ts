/**
 * @module bench/fanout-notify — figures for the go-live fan-out: seeds a follower graph (set-based
 * inserts) into a fresh SQLite file or PostgreSQL schema, then runs the store's fan-out batches for one
 * go-live unthrottled and for another at a given rate, reporting notices per second, the process's peak
 * RSS and the time to notify everyone. Runs the store's own code (no server, no HTTP), on this machine.
 *   npx tsx bench/fanout-notify.ts --store sqlite|postgres --followers 1000000 [--rate 50000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pg from 'pg';
import { FixedRatePacer } from '../src/control/fanout-pacer.ts';
import { asRoomId, asUserId } from '../src/domain/ids.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { seedPostgres, seedSqlite, type GraphSpec } from '../test/support/follower-graph.ts';

const positive = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number');
  return n;
};

const program = new Command()
  .requiredOption('--store <kind>', 'sqlite or postgres')
  .option('--followers <n>', 'followers of the host', positive, 1_000_000)
  .option('--rate <n>', 'notices per second for the paced run (0 skips it)', positive, 50_000)
  .option('--pg-url <url>', 'PostgreSQL server', 'postgres://postgres@127.0.0.1:5432/test')
  .parse();
const opts = program.opts<{ store: string; followers: number; rate: number; pgUrl: string }>();
if (opts.store !== 'sqlite' && opts.store !== 'postgres') throw new InvalidArgumentError('--store must be sqlite or postgres');

const HOST = asUserId('bench-host');
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const mib = (b: number) => (b / 2 ** 20).toFixed(0);

async function open(): Promise<{ store: Store; seed: (g: GraphSpec) => Promise<void>; cleanup: () => Promise<void> }> {
  if (opts.store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'amphi-fanout-bench-'));
    const file = join(dir, 'amphi.db');
    const store = await openSqliteStore(file);
    return { store, seed: async (g) => seedSqlite(file, g), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_fanout_${process.pid}`;
  const store = await openPostgresStore(opts.pgUrl, { schema });
  const u = new URL(opts.pgUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store,
    seed: (g) => seedPostgres(u.toString(), g),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: opts.pgUrl });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    },
  };
}

async function liveRoom(store: Store, n: number): Promise<string> {
  const id = asRoomId(`bench-room-${n}`);
  await store.createRoom(
    { id, status: 'live', title: `Bench ${n}`, topics: [], description: '', speakerPolicy: 'everyone', createdAt: Date.now(), liveAt: Date.now(), endedAt: null, endReason: null, schedule: null, createdBy: HOST, hostId: HOST, stage: [], invites: [], removed: [], pins: [] },
    [],
  );
  return id;
}

interface Run {
  readonly label: string;
  readonly notified: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly batches: number;
  readonly slowestBatchMs: number;
}

async function fanOut(store: Store, roomId: string, rate: number, label: string): Promise<Run> {
  const pacer = new FixedRatePacer(rate);
  const job = await store.notify.createFanoutJob({ roomId: asRoomId(roomId), kind: 'room_live', hostId: HOST, at: Date.now() });
  const started = performance.now();
  let batches = 0;
  let slowest = 0;
  let notified = 0;
  let lastReport = started;
  for (;;) {
    const t0 = performance.now();
    const batch = await store.notify.runFanoutBatch(job.id, pacer.batchSize(), Date.now());
    const took = performance.now() - t0;
    batches += 1;
    slowest = Math.max(slowest, took);
    notified = batch.job.notified;
    sampleRss();
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      process.stderr.write(`  ${label}: notified ${notified} of ${batch.job.total} (${batch.job.phase})\n`);
    }
    if (batch.job.phase === 'done') break;
    const wait = pacer.delayAfterMs(batch.delivered.length, took);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const seconds = (performance.now() - started) / 1000;
  return { label, notified, seconds, perSecond: notified / seconds, batches, slowestBatchMs: slowest };
}

const { store, seed, cleanup } = await open();
try {
  await store.createUser({ id: HOST, handle: 'benchhost', displayName: 'Bench host', createdAt: Date.now(), passwordHash: 'none' });
  const room1 = await liveRoom(store, 1);
  const room2 = await liveRoom(store, 2);
  const t0 = performance.now();
  // 1% hold a reminder, 10% listened before: all three waves run
  await seed({ hostId: HOST, followers: opts.followers, roomId: room1, reminders: Math.floor(opts.followers / 100), listenEvery: 10, at: Date.now() });
  const seedSeconds = (performance.now() - t0) / 1000;
  sampleRss();
  const runs = [await fanOut(store, room1, 0, 'unthrottled')];
  if (opts.rate > 0) runs.push(await fanOut(store, room2, opts.rate, `at ${opts.rate}/s`));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`store ${opts.store}, ${opts.followers} followers (seeded in ${seedSeconds.toFixed(1)} s), ${cpus().length} × ${cpu}, Node ${process.version}, ${new Date().toISOString()}`);
  for (const r of runs) {
    console.log(`${r.label.padEnd(14)} notified ${r.notified} in ${r.seconds.toFixed(1)} s = ${Math.round(r.perSecond)} notices/s, ${r.batches} batches, slowest batch ${r.slowestBatchMs.toFixed(0)} ms`);
  }
  console.log(`peak RSS ${mib(peakRss)} MiB`);
} finally {
  await store.close();
  await cleanup();
}
