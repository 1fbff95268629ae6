/**
 * The origin dies mid-room (issue 16): two origin-capable processes and an edge, real NATS (a
 * nats-server this test starts) and real PostgreSQL (a schema of its own). Whichever origin won the
 * room's lease (A here) is the one killed; the stage members' room sockets are on the other (B), their
 * offers routed to A; the host speaks a 440 Hz
 * tone and a speaker the host muted keeps sending 660 Hz. A is killed with SIGKILL: B takes the room's
 * lease, tells the stage to offer again and carries the program on. The listener on the edge never
 * reconnects, hears frames again within 5 s with the numbering carried on (no reset, no duplicate),
 * hears the host again, and never the muted speaker: roles and mute state were kept.
 */
import { describe, expect, it } from 'vitest';
import { rms, toneShare } from '../src/media/tone-analysis.test-helper.ts';
import { ApiClient } from './support/amphi-server.ts';
import { ProgramListener } from './support/program-listener.ts';
import { RoomSocket } from './support/room-socket-client.ts';
import { leaseHolder, testCluster } from './support/test-cluster.ts';
import { followingTone } from './support/tone-speaker.ts';
import type { ServerMessage } from '../src/protocol/api-views.ts';

const { up, node, cleanup, databaseUrl } = await testCluster('failover');

const act = async (who: ApiClient, roomId: string, body: Record<string, unknown>): Promise<void> => {
  const r = await who.call('POST', `/api/rooms/${roomId}/actions`, body);
  if (r.status !== 200) throw new Error(`${String(body['type'])}: ${r.status} ${JSON.stringify(r.body)}`);
};

describe.skipIf(!up)('the origin dies mid-room', () => {
  it('another origin takes the room within seconds; the listener keeps its socket and hears the host again, never the muted speaker', { timeout: 180_000 }, async () => {
    // A first (it creates the tables), then B and the edge on the same database
    const first = await node('origin-1', 'origin');
    const [second, edge] = await Promise.all([node('origin-2', 'origin'), node('edge-1', 'edge')]);
    if (second === undefined || edge === undefined) throw new Error('nodes did not start');

    const tag = Math.floor(Math.random() * 1e6);
    const creator = new ApiClient(first.url);
    const hostId = await creator.signUp(`fhost${tag}`);
    const roomId = (await creator.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Failover' })).body.room.id;
    // both origins claim the new room at once; the store lets one win: that one is A
    const holder = await leaseHolder(databaseUrl, roomId);
    const [a, b] = holder === 'origin-1' ? [first, second] : [second, first];
    // the host's session is in the shared database: the same cookie works on B
    const host = new ApiClient(b.url);
    host.cookie = creator.cookie;
    const bob = new ApiClient(b.url);
    const bobId = await bob.signUp(`fbob${tag}`);

    // the stage's sockets are on B: their offers go to A through NATS, and they outlive A
    const hostSock = await RoomSocket.open(b.url, roomId, host.cookie);
    const bobSock = await RoomSocket.open(b.url, roomId, bob.cookie);
    cleanup.push(() => hostSock.close(), () => bobSock.close());
    const hostTone = await followingTone(hostSock, 440);
    cleanup.push(() => hostTone.close());
    await act(host, roomId, { type: 'unmute' });
    await act(host, roomId, { type: 'invite', target: bobId });
    await act(bob, roomId, { type: 'acceptInvite' });
    const bobTone = await followingTone(bobSock, 660);
    cleanup.push(() => bobTone.close());
    await act(bob, roomId, { type: 'unmute' });
    // the host mutes bob; bob's client goes on sending 660 Hz all along
    await act(host, roomId, { type: 'muteMember', target: bobId });
    await act(host, roomId, { type: 'goLive' });

    const l = await ProgramListener.open(edge.url, roomId, null);
    cleanup.push(() => l.close());
    await l.until(() => l.frames.length >= 100 && rms(l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - 600)) > 0.05, 30_000);
    // the speaking ring on B, whose node does not hear the stage: the origin announces it
    await hostSock.waitFor((m): m is ServerMessage => m.type === 'state' && m.speaking.includes(hostId), 10_000);
    const beforePcm = l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - 1000);
    expect(toneShare(beforePcm, 440, [440, 660])).toBeGreaterThan(0.9);

    const killedAt = Date.now();
    await a.kill();
    const heardBefore = l.frames.length;

    // frames again (B took the lease), then the host's voice again (the stage offered again)
    await l.until(() => (l.frames.at(-1)?.captureTimeMs ?? 0) > killedAt + 1000, 30_000);
    await l.until(() => rms(l.pcmSince((l.frames.at(-1)?.captureTimeMs ?? 0) - 400)) > 0.05, 30_000);
    const voiceBackAt = Date.now();
    await l.until(() => (l.frames.at(-1)?.captureTimeMs ?? 0) > voiceBackAt + 1500, 20_000);

    // the listener never reconnected, and the numbering went on: no reset, no duplicate
    expect(l.closed).toBeNull();
    const seqs = l.frames.map((f) => f.seq);
    for (let i = 1; i < seqs.length; i += 1) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? 0);
    // the program's gap: from the last frame of A to the first of B, at most 5 s of room time
    let gap = { ms: 0, seqs: 0 };
    for (let i = Math.max(1, heardBefore - 50); i < l.frames.length; i += 1) {
      const [p, f] = [l.frames[i - 1], l.frames[i]];
      if (p !== undefined && f !== undefined && f.captureTimeMs - p.captureTimeMs > gap.ms) gap = { ms: f.captureTimeMs - p.captureTimeMs, seqs: f.seq - p.seq };
    }
    expect(gap.ms).toBeLessThanOrEqual(5000);
    expect(gap.seqs * 20).toBeLessThanOrEqual(5000 + 20);
    // the host is heard again; bob, still muted after the crash, is dropped by the new origin
    const afterPcm = l.pcmSince(voiceBackAt);
    expect(rms(afterPcm)).toBeGreaterThan(0.05);
    expect(toneShare(afterPcm, 440, [440, 660])).toBeGreaterThan(0.9);
    expect(hostTone.offers).toBeGreaterThanOrEqual(2);
    const state = await host.call<{ room: { stage: Array<{ userId: string; role: string; mutedBy?: string | null }> } }>('GET', `/api/rooms/${roomId}`);
    expect(await leaseHolder(databaseUrl, roomId)).not.toBe(holder);
    process.stdout.write(`origin failover: program gap ${gap.ms.toFixed(0)} ms (seq +${gap.seqs}); host heard again ${voiceBackAt - killedAt} ms after the kill\n`);
    expect(state.status).toBe(200);
  });
});
