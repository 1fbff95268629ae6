/**
 * @module bench/janus-loadgen — the `janus` scenario's listener generator process: started by the
 * bench pinned to the generator core (so its CPU, wrtc's native threads included, is never counted as
 * Janus's), it opens listeners of the kind asked for (light or wrtc, bench/janus-listener-peer.ts) on
 * the Janus Streaming mountpoint a few at a time, keeps their sessions alive, and samples their receive
 * stats at a window's start and end. Commands come over Node IPC (bench/janus-protocol.ts), one answer
 * each. It exits with process.exit when the bench goes away or says so: wrtc can crash on a natural
 * exit (DESIGN §3), and it must never outlive the bench.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { JanusApi } from './janus-api.ts';
import { FRAME_MS } from './janus-config.ts';
import { failureCode } from './janus-error.ts';
import type { JanusPeerKind, ListenerPeer, OpenPeer, PeerSample } from './janus-listener-peer.ts';
import type { JanusCommand, JanusOpenReport, JanusWindowReport } from './janus-protocol.ts';
import { summarizeWindow } from './janus-steps.ts';
import type { LoadgenAnswer } from './loadgen-protocol.ts';

const peers: ListenerPeer[] = [];
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let windowAt = performance.now();
let windowStart = new Map<ListenerPeer, PeerSample>();
let keepaliveFailures = 0;

const openers = new Map<JanusPeerKind, Promise<OpenPeer>>();

/**
 * How a listener of `kind` opens. wrtc is imported only when asked for: loading it starts native
 * threads, which would cost a light run CPU on the generator's core.
 */
function openerFor(kind: JanusPeerKind): Promise<OpenPeer> {
  let o = openers.get(kind);
  if (o === undefined) {
    o =
      kind === 'wrtc'
        ? import('./janus-peer.ts').then(({ JanusPeer }) => (api, id, ms) => JanusPeer.open(api, id, ms))
        : import('./janus-light-peer.ts').then(async ({ LightPeer, createLightCertificate }) => {
            const cert = await createLightCertificate();
            return (api, id, ms) => LightPeer.open(api, id, ms, cert);
          });
    openers.set(kind, o);
  }
  return o;
}

const send = (answer: LoadgenAnswer): void => {
  process.send?.(answer);
};

// One tick a second sends the keepalives that are due: sessions opened at different times stay spread
// out, instead of every session pinging Janus in the same instant every 25 s.
setInterval(() => {
  const now = performance.now();
  for (const p of peers) {
    void p.keepaliveIfDue(now).then((ok) => {
      if (!ok) keepaliveFailures++;
    });
  }
}, 1000);

async function open(c: Extract<JanusCommand, { cmd: 'open' }>): Promise<JanusOpenReport> {
  const api = new JanusApi(c.base);
  const openPeer = await openerFor(c.peer);
  const started = performance.now();
  const failures: Record<string, number> = {};
  let next = 0;
  let opened = 0;
  let settled = 0;
  const worker = async (): Promise<void> => {
    while (next < c.count) {
      next++;
      try {
        peers.push(await openPeer(api, c.mountpointId, c.timeoutMs));
        opened++;
      } catch (err) {
        const code = failureCode(err);
        failures[code] = (failures[code] ?? 0) + 1;
      }
      settled++;
      if (settled % 10 === 0 || settled === c.count) send({ progress: c.id, done: settled, total: c.count });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(c.concurrency, c.count)) }, worker));
  return { opened, failed: c.count - opened, failures, ms: performance.now() - started, total: peers.length };
}

const sampleAll = (list: readonly ListenerPeer[]): Promise<PeerSample[]> => Promise.all(list.map((p) => p.sample()));

async function startWindow(): Promise<number> {
  const samples = await sampleAll(peers);
  windowStart = new Map(peers.map((p, i) => [p, samples[i] as PeerSample]));
  keepaliveFailures = 0;
  loop.reset();
  windowAt = performance.now();
  return peers.length;
}

async function endWindow(): Promise<JanusWindowReport> {
  const held = peers.filter((p) => windowStart.has(p));
  const ends = await sampleAll(held);
  const pairs = held.map((p, i) => ({ start: windowStart.get(p) as PeerSample, end: ends[i] as PeerSample }));
  return {
    ...summarizeWindow(pairs, FRAME_MS),
    wallMs: performance.now() - windowAt,
    keepaliveFailures,
    eventLoopP99Ms: loop.percentile(99) / 1e6,
  };
}

async function closeAll(): Promise<number> {
  const all = peers.splice(0);
  await Promise.all(all.map((p) => p.close()));
  return all.length;
}

async function handle(c: JanusCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'open':
      return open(c);
    case 'windowStart':
      return startWindow();
    case 'windowEnd':
      return endWindow();
    case 'closeAll':
      return closeAll();
  }
}

process.on('message', (raw: JanusCommand) => {
  handle(raw).then(
    (result) => send({ id: raw.id, ok: true, result }),
    (err: unknown) => send({ id: raw.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
send({ ready: true, pid: process.pid });
// The bench owns this process: when it disconnects (ended or crashed), so do we, explicitly.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
