/**
 * @module bench/loadgen — the load generator process: started by the bench (pinned to its own core),
 * it takes commands over Node IPC (bench/loadgen-protocol.ts), holds the listener pool (and the
 * Icecast HTTP listeners of the icecast scenario), brings listeners of a killed edge back on another
 * (bench/rejoiner.ts) and runs join storms, and answers each command once. It measures its own CPU and event-loop delay so the bench can
 * tell when the generator, not the server, was the limit. It exits when the parent goes away: it must
 * never outlive the bench.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { IcecastPool } from './icecast-listeners.ts';
import { runStorm } from './join-storm.ts';
import { ListenerPool } from './listener-pool.ts';
import { Rejoiner } from './rejoiner.ts';
import type { IcecastWindowReport, LoadgenAnswer, LoadgenCommand, LoadgenCpu, WindowReport } from './loadgen-protocol.ts';

const pool = new ListenerPool();
const icecast = new IcecastPool();
const rejoiner = new Rejoiner(pool);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

let windowAt = { wall: performance.now(), cpu: process.cpuUsage() };

function startWindow(): void {
  pool.resetWindow();
  icecast.resetWindow();
  loop.reset();
  windowAt = { wall: performance.now(), cpu: process.cpuUsage() };
}

function cpuSinceWindow(): LoadgenCpu {
  const used = process.cpuUsage(windowAt.cpu);
  const wall = performance.now() - windowAt.wall;
  return {
    userMs: used.user / 1000,
    sysMs: used.system / 1000,
    cores: (used.user + used.system) / 1000 / Math.max(1, wall),
    eventLoopP99Ms: loop.percentile(99) / 1e6,
  };
}

function endWindow(): WindowReport {
  return {
    wallMs: performance.now() - windowAt.wall,
    groups: { base: pool.report('base'), slow: pool.report('slow'), storm: pool.report('storm') },
    loadgen: cpuSinceWindow(),
  };
}

function endIcecastWindow(): IcecastWindowReport {
  return { wallMs: performance.now() - windowAt.wall, listeners: icecast.report(), loadgen: cpuSinceWindow() };
}

const send = (answer: LoadgenAnswer): void => {
  process.send?.(answer);
};

async function handle(c: LoadgenCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'open':
      return pool.open(c.target, c.count, c.concurrency, (done) => send({ progress: c.id, done, total: c.count }));
    case 'windowStart':
      startWindow();
      return null;
    case 'windowEnd':
      return endWindow();
    case 'pause':
      return pool.pause(c.share);
    case 'resumeSlow':
      pool.stats.slow.resetWindow();
      pool.resumeSlow();
      await new Promise((r) => setTimeout(r, c.readMs));
      return pool.report('slow');
    case 'storm':
      startWindow();
      return runStorm(pool, c.spec, cpuSinceWindow);
    case 'closeAll':
      return pool.closeAll();
    case 'icecastReset':
      icecast.reset(c.feederStartWallMs, c.stallMs);
      return null;
    case 'icecastOpen':
      return icecast.open(c.target, c.count, c.concurrency, (done) => send({ progress: c.id, done, total: c.count }));
    case 'icecastWindowEnd':
      return endIcecastWindow();
    case 'rejoinArm':
      rejoiner.arm(c.spec);
      return null;
    case 'rejoinReport':
      return rejoiner.report();
    case 'rejoinDisarm':
      rejoiner.disarm();
      return rejoiner.report();
  }
}

process.on('message', (raw: LoadgenCommand) => {
  handle(raw).then(
    (result) => send({ id: raw.id, ok: true, result }),
    (err: unknown) => send({ id: raw.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
send({ ready: true, pid: process.pid });
// The bench owns this process: when it disconnects (ended or crashed), so do we.
process.on('disconnect', () => {
  rejoiner.disarm();
  pool.closeAll();
  icecast.closeAll();
  process.exit(0);
});
