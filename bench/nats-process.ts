/**
 * @module bench/nats-process — the cluster bench's own nats-server (Debian's package), never the
 * machine's service on 4222: a free loopback port, pinned to a core like every other process of the
 * bench, killed with SIGKILL and started again on the same port when a scenario restarts it, and
 * stopped with the others on the way out (pinned-child). Core NATS only: the cluster's frames and
 * events need no JetStream.
 */
import { execFileSync } from 'node:child_process';
import { spawnPinnedProgram, type PinnedChild } from './pinned-child.ts';
import { acceptsTcp, freeTcpPort } from './ports.ts';

const BINARY = 'nats-server';
const START_TIMEOUT_MS = 10_000;

export class NatsBenchError extends Error {
  override readonly name = 'NatsBenchError';
}

export interface BenchNats {
  readonly url: string;
  readonly port: number;
  /** the running server's pid (a new one after each restart) */
  pid(): number;
  /** SIGKILL, then the same port again; resolves once it accepts connections, with the ms it was down */
  restart(): Promise<{ readonly downMs: number }>;
  stop(): Promise<void>;
}

/** "nats-server: v2.9.10", or why there is none */
export function natsVersion(): string {
  try {
    return execFileSync(BINARY, ['--version'], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new NatsBenchError(`${BINARY} is not installed (apt-get install -y nats-server)`, { cause: err });
  }
}

async function untilAccepting(port: number, proc: PinnedChild): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await acceptsTcp(port))) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new NatsBenchError(`${BINARY} exited (${proc.child.exitCode ?? proc.child.signalCode}) before listening on ${port}`);
    if (Date.now() > deadline) throw new NatsBenchError(`${BINARY} did not listen on ${port} within ${START_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startBenchNats(core: number | null, cwd: string): Promise<BenchNats> {
  const port = await freeTcpPort();
  const launch = async (): Promise<PinnedChild> => {
    const p = spawnPinnedProgram(core, BINARY, ['-a', '127.0.0.1', '-p', String(port)], { cwd, stdio: 'ignore' });
    try {
      await untilAccepting(port, p);
    } catch (err) {
      await p.stop();
      throw err;
    }
    return p;
  };
  let proc = await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: () => proc.pid,
    restart: async () => {
      const at = performance.now();
      await proc.kill();
      proc = await launch();
      return { downMs: performance.now() - at };
    },
    stop: () => proc.stop(),
  };
}
