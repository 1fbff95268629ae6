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

export async function startTestNats(options: { jetstream?: boolean } = {}): Promise<TestNats> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'amphi-nats-'));
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    const args = ['-a', '127.0.0.1', '-p', String(port), ...(options.jetstream ? ['-js', '-sd', dir] : [])];
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
