/**
 * @module test/support/coturn — Debian's coturn (`turnserver`) as a test's own TURN server: on one
 * address, a free port, relay ports of its own, and the TURN REST API shared secret Amphi signs
 * credentials with (`use-auth-secret`), as docs/operations.md configures it. Started per test and
 * stopped by it; its log is kept for a failing test to show. Test code only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Coturn {
  readonly port: number;
  readonly log: string[];
  stop(): Promise<void>;
}

async function freeTcpPort(host: string): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.listen(0, host, resolve).once('error', reject));
  const addr = srv.address();
  await new Promise((r) => srv.close(r));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

export async function startCoturn(ip: string, secret: string): Promise<Coturn> {
  const port = await freeTcpPort(ip);
  const dir = mkdtempSync(join(tmpdir(), 'amphi-coturn-'));
  const relayLo = 50_000 + Math.floor(Math.random() * 150) * 100;
  const child: ChildProcess = spawn('turnserver', [
    '-n', '--listening-ip', ip, '--listening-port', String(port), '--relay-ip', ip,
    '--min-port', String(relayLo), '--max-port', String(relayLo + 99),
    '--use-auth-secret', '--static-auth-secret', secret, '--realm', 'amphi.test',
    '--no-tls', '--no-dtls', '--no-cli', '--fingerprint', '--no-multicast-peers',
    '--userdb', join(dir, 'turndb'), '--pidfile', join(dir, 'turn.pid'), '--log-file', 'stdout', '--simple-log',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coturn did not start in 10 s:\n${log.join('')}`)), 10_000);
    const onData = (d: Buffer) => {
      log.push(d.toString());
      if (log.join('').includes('Total General servers')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`turnserver could not run (npm test installs coturn): ${e.message}`));
    });
  });
  return {
    port,
    log,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
