/**
 * A room across processes: one origin (stage, mixer) and two edges (listeners), real NATS (a
 * nats-server this test starts) and real PostgreSQL (a schema of its own). The host speaks a tone into
 * the origin over WebRTC; listeners on both edges hear it, frame for frame the same program; an edge is
 * killed with SIGKILL and its listener resumes on the other edge above its last seq, with no gap and
 * no duplicate. What this does not prove yet (issue 16): the origin's failover (placement lease).
 */
import { describe, expect, it } from 'vitest';
import { rms, toneShare } from '../src/media/tone-analysis.test-helper.ts';
import { ProgramListener } from './support/program-listener.ts';
import { listenerOrigin, testCluster } from './support/test-cluster.ts';
import { liveToneRoom } from './support/live-tone-room.ts';

const { up, node, cleanup } = await testCluster('cluster');

describe.skipIf(!up)('one room across an origin and two edges', () => {
  it('listeners on both edges hear the host through the relay, and a listener whose edge dies resumes on the other with no gap', { timeout: 120_000 }, async () => {
    // the origin first: it creates the schema's tables; edges then start on the same database
    const origin = await node('origin-1', 'origin');
    const [edge1, edge2] = await Promise.all([node('edge-1', 'edge'), node('edge-2', 'edge')]);
    if (edge1 === undefined || edge2 === undefined) throw new Error('edges did not start');

    const { roomId } = await liveToneRoom(origin.url, 'Across nodes', cleanup);

    // each listener asks its own edge for the ticket and is pinned to that edge's listener port (the
    // ticket itself may name the other edge: routing is cluster-presence.test.ts's)
    const l1 = await ProgramListener.open(edge1.url, roomId, null, undefined, listenerOrigin(edge1));
    const l2 = await ProgramListener.open(edge2.url, roomId, null, undefined, listenerOrigin(edge2));
    cleanup.push(() => l1.close(), () => l2.close());
    await l1.until(() => l1.frames.length >= 100, 20_000);
    await l2.until(() => l2.frames.length >= 100, 20_000);
    for (const l of [l1, l2]) {
      const pcm = l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - 1000);
      expect(toneShare(pcm, 440, [440, 660, 880, 1000, 300])).toBeGreaterThan(0.9);
      expect(rms(pcm)).toBeGreaterThan(0.05);
    }
    // the same program on both edges: the origin's seqs and capture times, published once
    const bySeq = new Map(l1.frames.map((f) => [f.seq, f.captureTimeMs]));
    const common = l2.frames.filter((f) => bySeq.has(f.seq));
    expect(common.length).toBeGreaterThan(50);
    for (const f of common) expect(bySeq.get(f.seq)).toBe(f.captureTimeMs);

    // edge 1 dies; its listener resumes on edge 2 above its last seq: no gap, no duplicate
    const before = l1.frames.map((f) => f.seq);
    await edge1.kill();
    const last = before.at(-1) ?? 0;
    const again = await ProgramListener.open(edge2.url, roomId, null, last, listenerOrigin(edge2));
    cleanup.push(() => again.close());
    await again.until(() => again.frames.length >= 50, 20_000);
    const after = again.frames.map((f) => f.seq);
    expect(after[0]).toBe(last + 1);
    after.forEach((s, i) => expect(s).toBe(last + 1 + i));
  });
});
