/**
 * @module bench/cluster-failover — the cluster's three failovers, measured on what listeners live
 * through: the origin holding the room killed with SIGKILL (listeners must keep their sockets on their
 * edges; when the program and the host's voice are back), an edge killed (its listeners come back on
 * another edge as the web client does, resuming above their last seq: when 99% are back, who failed),
 * and the nats-server killed and started again (the longest silence any listener had). Each runs over
 * one generator window (every listener's duplicates, gaps and closes) with a probe listener that
 * decodes the audio. It kills only the cluster's own processes.
 */
import { rms } from '../src/media/tone-analysis.test-helper.ts';
import { ProgramListener } from '../test/support/program-listener.ts';
import type { ClusterBench } from './cluster-context.ts';
import type { ClusterNode } from './cluster-nodes.ts';
import { VOICE_MS, VOICE_RMS, type EdgeKill, type NatsRestart, type OriginKill } from './cluster-results.ts';
import { wallNow } from './listener-pool.ts';
import { note } from './progress.ts';

/** how long a failover may take before the bench calls it failed */
const DEADLINE_MS = 30_000;
/** listened to after a failover settled, so late closes and duplicates are counted */
const AFTER_MS = 3000;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** polls every 20 ms; Date.now() when `pred` first held, or null at the deadline */
async function whenHolds(pred: () => boolean, ms = DEADLINE_MS): Promise<number | null> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) return null;
    await pause(20);
  }
  return Date.now();
}

/** a listener that decodes the audio, on `edge`, once it hears the program */
async function probeOn(c: ClusterBench, edge: ClusterNode): Promise<ProgramListener> {
  const p = await ProgramListener.open(edge.proc.url, c.room.roomId, null);
  await p.until(() => p.frames.length >= 50, 20_000);
  return p;
}

const aliveEdges = (c: ClusterBench): ClusterNode[] => c.cluster.edges.filter((e) => e.alive);

/** runs `body` with a probe listener on `edge` and the generator's window open; the probe is closed after */
async function withProbe<T>(c: ClusterBench, edge: ClusterNode | undefined, body: (p: ProgramListener, started: number) => Promise<T>): Promise<T> {
  if (edge === undefined) throw new Error('no edge alive');
  const p = await probeOn(c, edge);
  try {
    await c.loadgen.windowStart();
    return await body(p, performance.now());
  } finally {
    p.close();
  }
}

export async function originKill(c: ClusterBench): Promise<OriginKill> {
  const holder = await c.origin();
  return withProbe(c, aliveEdges(c).at(-1), async (p, started) => {
    const killedAt = Date.now();
    await c.cluster.kill(holder);
    note(`killed ${holder.name} (the room's origin) with SIGKILL`);
    // the old origin's frames were all captured before the kill: the first captured after it is the new origin's
    const newFrame = (): (typeof p.frames)[number] | undefined => p.frames.find((f) => f.captureTimeMs > killedAt);
    const programAt = await whenHolds(() => newFrame() !== undefined);
    const first = newFrame();
    const voiceAt =
      first === undefined
        ? null
        : await whenHolds(() => {
            const last = p.frames.at(-1)?.captureTimeMs ?? 0;
            const since = Math.max(first.captureTimeMs, last - VOICE_MS);
            return last - since >= VOICE_MS - 20 && rms(p.pcmSince(since)) > VOICE_RMS;
          });
    await pause(AFTER_MS);
    const lg = await c.loadgen.windowEnd();
    const g = lg.groups.base;
    const closed = sum(g.closes);
    const newHolder = await c.cluster.leaseHolder(c.room.roomId);
    const result: OriginKill = {
      killed: holder.name,
      newHolder,
      listeners: g.listeners + closed,
      closed,
      keptShare: g.listeners + closed > 0 ? g.listeners / (g.listeners + closed) : 0,
      programBackMs: programAt === null || first === undefined ? null : first.arrivedMs - killedAt,
      audioBackMs: voiceAt === null ? null : voiceAt - killedAt,
      hostOffers: c.hostOffers(),
      group: g,
      windowMs: performance.now() - started,
    };
    note(
      `origin kill: ${newHolder} holds the room; program back after ${result.programBackMs ?? '—'} ms, the host heard again after ${result.audioBackMs ?? '—'} ms; ` +
        `${closed} of ${result.listeners} sockets closed, ${g.duplicates} duplicate frames, largest gap ${g.maxSeqGap ?? '?'} frames`,
    );
    return result;
  });
}

export async function edgeKill(c: ClusterBench): Promise<EdgeKill> {
  const [dead, fallback] = aliveEdges(c);
  if (dead === undefined || fallback === undefined) throw new Error('an edge kill needs two edges alive');
  const from = await c.target(dead);
  // a token of a full life: rejoins go on for up to DEADLINE_MS, and a reused one might expire meanwhile
  const to = await c.target(fallback, true);
  await c.loadgen.windowStart();
  const started = performance.now();
  // taken before arming, so each back time counts from at or before the kill (never flatters)
  const killedAtWallMs = wallNow();
  await c.loadgen.rejoinArm({ fromPort: from.port, fallback: to, killedAtWallMs, giveUpMs: DEADLINE_MS });
  await c.cluster.kill(dead);
  note(`killed ${dead.name} with SIGKILL; its listeners come back on ${fallback.name}`);
  const deadline = Date.now() + DEADLINE_MS + 5000;
  let r = await c.loadgen.rejoinReport();
  while (Date.now() < deadline && (r.lost < r.onPortAtArm || r.pending > 0)) {
    await pause(250);
    r = await c.loadgen.rejoinReport();
  }
  await pause(AFTER_MS);
  const lg = await c.loadgen.windowEnd();
  const rejoin = await c.loadgen.rejoinDisarm();
  note(
    `edge kill: ${rejoin.back} of ${rejoin.lost} back (99% after ${rejoin.back99Ms ?? '—'} ms, all after ${rejoin.backAllMs ?? '—'} ms), ` +
      `${rejoin.gaveUp + rejoin.pending} failed, ${rejoin.failedAttempts} attempts retried, ${lg.groups.base.duplicates} duplicate frames, ${rejoin.resumeGapFrames} frames skipped at resumes`,
  );
  return { killed: dead.name, fallback: fallback.name, rejoin, group: lg.groups.base, windowMs: performance.now() - started };
}

export async function natsRestart(c: ClusterBench): Promise<NatsRestart> {
  return withProbe(c, aliveEdges(c)[0], async (p, started) => {
    const killedAt = Date.now();
    const { downMs } = await c.cluster.nats.restart();
    const upAt = Date.now();
    note(`nats-server killed and started again on the same port (down ${downMs.toFixed(0)} ms)`);
    const backAt = await whenHolds(() => (p.frames.at(-1)?.arrivedMs ?? 0) > upAt);
    const next = p.frames.find((f) => f.arrivedMs > upAt);
    await pause(AFTER_MS);
    const lg = await c.loadgen.windowEnd();
    const g = lg.groups.base;
    const result: NatsRestart = { downMs, frameBackMs: backAt === null || next === undefined ? null : next.arrivedMs - killedAt, group: g, windowMs: performance.now() - started };
    note(`NATS restart: frames back ${result.frameBackMs ?? '—'} ms after the kill; longest silence at a listener ${(g.maxArrivalGapMs ?? 0).toFixed(0)} ms, ${g.framesLost} frames lost, ${sum(g.closes)} closed`);
    return result;
  });
}
