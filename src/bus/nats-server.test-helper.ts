/**
 * @module nats-server (test helper) — starts a real `nats-server` process of the test's own on a free
 * loopback port (never the machine's 4222 service: tests kill and restart theirs), with JetStream in a
 * temporary folder when asked. Debian's `nats-server` is installed by `npm test` when missing; a run
 * without it fails under CI=true and skips elsewhere with one loud line saying how to get it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface TestNats {
  readonly url: string;
  readonly port: number;
  /** kill -9 the server (a crash); `restart` brings it back on the same port */
  kill(): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const BINARY = 'nats-server';

/** true when nats-server can run here; under CI=true a missing binary throws (the suite must run there) */
export function natsServerForTests(): boolean {
  const r = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return true;
  if (process.env['CI'] === 'true') throw new Error(`${BINARY} is not installed, and CI=true requires it (npm test installs it: apt-get install -y nats-server)`);
  process.stdout.write(`\n*** nats-server not found: SKIPPING the NATS-backed suites. Install it with: apt-get update && apt-get install -y nats-server ***\n`);
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function untilListening(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TestNatsOptions {
  readonly jetstream?: boolean;
  /** join a NATS cluster: this server's route port and the routes to its peers */
  readonly cluster?: { readonly port: number; readonly routes: readonly number[] };
}

export async function startTestNats(options: TestNatsOptions = {}): Promise<TestNats> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'amphi-nats-'));
  let child: ChildProcess | null = null;
  const cluster = options.cluster;
  const launch = async (): Promise<void> => {
    const args = [
      '-a', '127.0.0.1', '-p', String(port),
      ...(options.jetstream ? ['-js', '-sd', dir] : []),
      ...(cluster ? ['--cluster_name', 'amphi-test', '--cluster', `nats://127.0.0.1:${cluster.port}`, '--routes', cluster.routes.map((r) => `nats://127.0.0.1:${r}`).join(',')] : []),
    ];
    child = spawn(BINARY, args, { stdio: 'ignore' });
    await untilListening(port);
  };
  const exited = (c: ChildProcess | null): Promise<void> =>
    c === null || c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r()));
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    kill: () => {
      child?.kill('SIGKILL');
    },
    restart: async () => {
      await exited(child);
      await launch();
    },
    stop: async () => {
      const c = child;
      c?.kill('SIGTERM');
      await exited(c);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `size` nats-servers routed into one cluster; `url` lists them all, as a node's AMPHI_NATS_URL would */
export async function startTestNatsCluster(size: number): Promise<{ readonly url: string; readonly servers: readonly TestNats[]; stop(): Promise<void> }> {
  const routePorts: number[] = [];
  for (let i = 0; i < size; i += 1) routePorts.push(await freePort());
  const servers = await Promise.all(routePorts.map((port) => startTestNats({ cluster: { port, routes: routePorts.filter((p) => p !== port) } })));
  return {
    url: servers.map((s) => s.url).join(','),
    servers,
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/**
 * one nats-server for a whole test file, started before its tests and stopped after them; `has` says
 * whether nats-server is installed (the file's NATS suites skip without it), `server()` is the one started
 */
export function natsForFile(): { readonly has: boolean; server(): TestNats } {
  const has = natsServerForTests();
  let nats: TestNats | null = null;
  beforeAll(async () => {
    if (has) nats = await startTestNats();
  });
  afterAll(async () => {
    await nats?.stop();
  });
  return {
    has,
    server: () => {
      if (nats === null) throw new Error('no nats-server: the file runs without one');
      return nats;
    },
  };
}
