/**
 * @module bench/scenario-hands — `npm run bench -- hands`: a live room on a fresh server (pinned to the
 * server core); N seeded accounts raise hands at R per second over the public API while the host, on
 * the room WebSocket, acts once a second (bench/hands-loadgen.ts, in its own process on the generator
 * core); then the raised hands are lowered as fast as the room answers, which gives the room's
 * sustained action throughput. Accounts and sessions are written into the server's SQLite file before
 * it starts (50,000 scrypt sign-ups would take the machine the better part of an hour and measure the
 * password hash, not the room). Never leaves a process or a data directory behind.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { asUserId } from '../src/domain/ids.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { BenchOptions } from './bench-context.ts';
import type { HandsLoadConfig, HandsLoadReport } from './hands-loadgen.ts';
import { spawnPinned } from './pinned-child.ts';
import { cpuBetween, cpuTimes, rssKiB, runQueueWaitMs, type CpuUse } from './proc-stats.ts';
import { note } from './progress.ts';
import type { RunInfo } from './results.ts';
import { startAmphiProcess } from './server-process.ts';

export interface HandsResult extends RunInfo {
  readonly scenario: 'hands';
  readonly hands: number;
  readonly rate: number;
  readonly load: HandsLoadReport;
  /** the server over the storm (first raise → last answer + 1 s) and the lowering phase together */
  readonly serverCpu: CpuUse;
  readonly serverRunQueueShare: number;
  readonly serverRssKiB: number;
  /** the headline figures (docs/benchmarks.json `moderation`) */
  readonly raiseP99Ms: number;
  readonly hostActionP99Ms: number;
  readonly bytesPerSecondToHost: number;
  readonly roomActionsPerSecond: number;
}

const COOKIE = 'bench-hand-';
const USER = 'bench-u-';
const HOST_COOKIE = 'bench-host-session';
const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** the host and N listeners with sessions, written straight into a new database in `dataDir` */
async function seed(dataDir: string, hands: number): Promise<void> {
  const store = await openSqliteStore(join(dataDir, 'amphi.db'));
  const now = Date.now();
  const year = 365 * 24 * 3600_000;
  try {
    const add = async (id: string, handle: string, token: string): Promise<void> => {
      await store.createUser({ id: asUserId(id), handle, displayName: handle, passwordHash: 'seeded', createdAt: now });
      await store.createSession({ tokenHash: tokenHash(token), userId: asUserId(id), createdAt: now, expiresAt: now + year });
    };
    await add('bench-host', 'benchhost', HOST_COOKIE);
    for (let i = 0; i < hands; i++) {
      await add(`${USER}${i}`, `hand${i}`, `${COOKIE}${i}`);
      if ((i + 1) % 10_000 === 0) note(`seeded ${i + 1} accounts`);
    }
  } finally {
    await store.close();
  }
}

async function call(base: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { origin: base, 'content-type': 'application/json', cookie: `amphi_session=${HOST_COOKIE}` },
    body: JSON.stringify(body),
  });
  const answer: unknown = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

function roomIdOf(answer: unknown): string {
  const room = typeof answer === 'object' && answer !== null && 'room' in answer ? answer.room : null;
  const id = typeof room === 'object' && room !== null && 'id' in room ? room.id : null;
  if (typeof id !== 'string') throw new Error(`no room id in ${JSON.stringify(answer)}`);
  return id;
}

export async function runHands(opts: BenchOptions): Promise<HandsResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphi-hands-'));
  try {
    note(`seeding ${opts.hands} accounts`);
    await seed(dataDir, opts.hands);
    const server = await startAmphiProcess({ repo: opts.repo, core: opts.serverCore, batchMs: opts.batchMs, env: { ...opts.serverEnv, AMPHI_DATA_DIR: dataDir } });
    try {
      const roomId = roomIdOf(await call(server.url, '/api/rooms', { title: 'Hands bench' }));
      await call(server.url, `/api/rooms/${roomId}/actions`, { type: 'goLive' });
      const cfg: HandsLoadConfig = {
        base: server.url,
        roomId,
        cookiePrefix: COOKIE,
        userIdPrefix: USER,
        hostCookie: HOST_COOKIE,
        hands: opts.hands,
        rate: opts.handRate,
        maxInFlight: 512,
        lowerConcurrency: 64,
      };
      note(`room ${roomId} live; ${opts.hands} hands at ${opts.handRate}/s`);
      const cpu0 = cpuTimes(server.pid);
      const wait0 = runQueueWaitMs(server.pid);
      const gen = spawnPinned(opts.loadgenCore, ['bench/hands-loadgen.ts'], { cwd: opts.repo, env: { HANDS_CONFIG: JSON.stringify(cfg) }, stdio: ['ignore', 'pipe', 'inherit'] });
      const out = gen.child.stdout;
      if (out === null) throw new Error('load generator started without stdout');
      let line = '';
      createInterface({ input: out }).on('line', (l) => {
        if (l.startsWith('{')) line = l;
      });
      const code = await gen.exited;
      if (code !== 0 || line === '') throw new Error(`the hands load generator exited ${code}`);
      const cpu1 = cpuTimes(server.pid);
      const load = JSON.parse(line) as HandsLoadReport;
      return {
        ...opts.run,
        batchMs: opts.batchMs,
        serverCore: opts.serverCore,
        loadgenCore: opts.loadgenCore,
        serverEnv: opts.serverEnv,
        scenario: 'hands',
        hands: opts.hands,
        rate: opts.handRate,
        load,
        serverCpu: cpuBetween(cpu0, cpu1),
        serverRunQueueShare: (runQueueWaitMs(server.pid) - wait0) / (cpu1.at - cpu0.at),
        serverRssKiB: rssKiB(server.pid),
        raiseP99Ms: Math.round(load.raise.p99 * 10) / 10,
        hostActionP99Ms: Math.round(load.hostAction.p99 * 10) / 10,
        bytesPerSecondToHost: Math.round(load.hostSocket.bytes / (load.hostSocket.windowMs / 1000)),
        roomActionsPerSecond: Math.round(load.lowered / (load.lowerMs / 1000)),
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
