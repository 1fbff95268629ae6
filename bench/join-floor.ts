/**
 * @module bench/join-floor — the floor under Amphi's joins per core: storms bench/join-floor-server.ts
 * (a bare uWebSockets.js app, pinned to core 0) from this process (run it on core 1) with the same raw
 * WebSocket client and the same join as `npm run bench -- storm` (connect, upgrade, first audio, a
 * polite close; with --stay the joiners keep their sockets) and reports the server's CPU per join: what
 * the kernel and uWS cost before a line of Amphi runs.
 * `taskset -c 1 npx tsx bench/join-floor.ts [--rate 1500] [--seconds 3] [--stay]`. Measures only.
 */
import { spawnPinned } from './pinned-child.ts';
import { cpuBetween, cpuTimes } from './proc-stats.ts';
import { RawWsClient, type RawWsHandler } from './raw-ws-client.ts';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const rate = arg('rate', 1500);
/** --stay: joiners keep their sockets (the join without its close) */
const stay = process.argv.includes('--stay');
const seconds = arg('seconds', 3);
const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

const server = spawnPinned(0, ['bench/join-floor-server.ts'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((ok, fail) => {
  const out = server.child.stdout;
  if (out === null) return fail(new Error('no stdout'));
  createInterface({ input: out }).once('line', (l) => ok(Number(l)));
  setTimeout(() => fail(new Error('the floor server did not start in 30 s')), 30_000);
});

const total = Math.round(rate * seconds);
let started = 0;
let done = 0;
let failed = 0;
const delays: number[] = [];
const join = (): void => {
  const begin = performance.now();
  let heard = false;
  const handler: RawWsHandler = {
    onOpen: () => undefined,
    onMessage: (_b, _s, _e, binary) => {
      if (!binary || heard) return;
      // the second message is the audio batch: the join is complete
      if (_e - _s > 8) {
        heard = true;
        delays.push(performance.now() - begin);
        if (stay) done++;
        else setImmediate(() => client.close(1000));
      }
    },
    onClose: () => {
      if (!heard) failed++;
      if (!heard || !stay) done++;
    },
  };
  const client = new RawWsClient({ host: '127.0.0.1', port, path: '/ws/listen' }, handler);
};

await new Promise((r) => setTimeout(r, 1000));
const idle0 = cpuTimes(server.pid);
await new Promise((r) => setTimeout(r, 1000));
const idle = cpuBetween(idle0, cpuTimes(server.pid));
const c0 = cpuTimes(server.pid);
const t0 = performance.now();
await new Promise<void>((ok) => {
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; started < due; started++) join();
    if (started >= total) {
      clearInterval(tick);
      ok();
    }
  }, 5);
});
while (done < total) await new Promise((r) => setTimeout(r, 20));
const use = cpuBetween(c0, cpuTimes(server.pid));
await server.stop();
delays.sort((a, b) => a - b);
const joinCpuMs = use.userMs + use.sysMs - idle.cores * use.wallMs;
const perJoinUs = (joinCpuMs * 1000) / Math.max(1, total - failed);
console.log(
  JSON.stringify({
    joins: total,
    failed,
    wallMs: Math.round(use.wallMs),
    serverCores: Number(use.cores.toFixed(3)),
    userShare: Number(use.userShare.toFixed(2)),
    perJoinUs: Math.round(perJoinUs),
    joinsPerCoreSecond: Math.round(1e6 / perJoinUs),
    p99Ms: Math.round(delays[Math.floor(delays.length * 0.99)] ?? 0),
  }),
);
process.exit(0);
