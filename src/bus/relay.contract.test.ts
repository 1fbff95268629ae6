/**
 * One contract for the program relay, run on LocalRelay and on NatsRelay over a real nats-server the
 * test starts: frames arrive whole, in order, once, to every subscriber of the room and to nobody else;
 * an unsubscribed edge gets nothing more. Then what a cluster adds: an origin's frames reach two edges
 * (separate connections) once each, and the relay comes back by itself after NATS restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioFrame } from '../protocol/listener-frame.ts';
import { natsServerForTests, startTestNats, type TestNats } from './nats-server.test-helper.ts';
import { NatsRelay } from './nats-relay.ts';
import { LocalRelay, type ProgramRelay } from './program-relay.ts';
import { decodeRelayFrame, encodeRelayFrame } from './relay-frame.ts';

const hasNats = natsServerForTests();
let nats: TestNats | null = null;
const opened: ProgramRelay[] = [];

beforeAll(async () => {
  if (hasNats) nats = await startTestNats();
});
afterAll(async () => {
  for (const r of opened.splice(0)) await r.close().catch(() => undefined);
  await nats?.stop();
});

const frame = (seq: number): AudioFrame => ({ seq, captureTimeMs: 1_796_600_000_000 + seq * 20 + 0.25, opus: Uint8Array.of(seq & 0xff, 1, 2, 3) });

const natsRelay = async (nodeId: string): Promise<NatsRelay> => {
  if (nats === null) throw new Error('no nats-server');
  const r = await NatsRelay.connect({ servers: nats.url, nodeId, onError: () => undefined });
  opened.push(r);
  return r;
};

/** an origin and an edge: the same object for LocalRelay, two connections for NATS */
const pairs: ReadonlyArray<readonly [string, () => Promise<{ origin: ProgramRelay; edge: ProgramRelay; settle: () => Promise<void> }>]> = [
  [
    'LocalRelay',
    async () => {
      const r = new LocalRelay(() => undefined);
      return { origin: r, edge: r, settle: async () => undefined };
    },
  ],
  [
    'NatsRelay',
    async () => {
      const origin = await natsRelay('origin');
      const edge = await natsRelay('edge');
      return { origin, edge, settle: async () => { await edge.flush(); await origin.flush(); } };
    },
  ],
];

describe('relay frames', () => {
  it('encode and decode exactly, and a short message is no frame', () => {
    const f = frame(4_000_000_000);
    expect(decodeRelayFrame(encodeRelayFrame(f, 3_000_000_000))).toEqual({ frame: { ...f, opus: f.opus }, epoch: 3_000_000_000 });
    expect(decodeRelayFrame(new Uint8Array(15))).toBeNull();
  });
});

describe.each(pairs)('program relay contract: %s', (name, make) => {
  const skip = name === 'NatsRelay' && !hasNats;

  it.skipIf(skip)('delivers each frame of the room once, whole and in order, to its subscribers only', async () => {
    const { origin, edge, settle } = await make();
    const got: AudioFrame[] = [];
    const other: AudioFrame[] = [];
    edge.subscribe('room-1', (f) => got.push({ ...f, opus: Uint8Array.from(f.opus) }));
    edge.subscribe('room-2', (f) => other.push(f));
    await settle();
    for (let s = 1; s <= 50; s++) origin.publish('room-1', frame(s), 1);
    await settle();
    await expect.poll(() => got.length >= 50, { timeout: 10_000, message: '50 frames' }).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => frame(i + 1)));
    expect(other).toEqual([]);
  });

  it.skipIf(skip)('an edge that unsubscribes gets nothing more; another subscriber of the room still does', async () => {
    const { origin, edge, settle } = await make();
    const first: number[] = [];
    const second: number[] = [];
    const stop = edge.subscribe('room-3', (f) => first.push(f.seq));
    edge.subscribe('room-3', (f) => second.push(f.seq));
    await settle();
    origin.publish('room-3', frame(1), 1);
    await settle();
    await expect.poll(() => first.length === 1 && second.length === 1, { timeout: 10_000, message: 'both have frame 1' }).toBe(true);
    stop();
    origin.publish('room-3', frame(2), 1);
    await settle();
    await expect.poll(() => second.length === 2, { timeout: 10_000, message: 'the second has frame 2' }).toBe(true);
    expect(first).toEqual([1]);
  });

  it.skipIf(skip)("frames of an older origin's epoch are dropped once a newer origin has been heard (fencing)", async () => {
    const { origin, edge, settle } = await make();
    const got: string[] = [];
    edge.subscribe('room-4', (f) => got.push(`${f.seq}`));
    await settle();
    origin.publish('room-4', frame(1), 1);
    origin.publish('room-4', frame(2), 2);
    // the deposed origin, not yet aware it lost the lease, goes on publishing: nobody hears it
    origin.publish('room-4', frame(3), 1);
    origin.publish('room-4', frame(4), 2);
    origin.publish('room-4', frame(5), 3);
    origin.publish('room-4', frame(6), 2);
    await settle();
    await expect.poll(() => got.length >= 4, { timeout: 10_000, message: 'the frames of the newest origins' }).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['1', '2', '4', '5']);
  });
});

describe.skipIf(!hasNats)('NatsRelay in a cluster', () => {
  it("an origin's frame reaches each of two edges once", async () => {
    const origin = await natsRelay('o');
    const e1 = await natsRelay('e1');
    const e2 = await natsRelay('e2');
    const a: number[] = [];
    const b: number[] = [];
    e1.subscribe('big', (f) => a.push(f.seq));
    e2.subscribe('big', (f) => b.push(f.seq));
    await e1.flush();
    await e2.flush();
    for (let s = 1; s <= 20; s++) origin.publish('big', frame(s), 1);
    await origin.flush();
    await expect.poll(() => a.length === 20 && b.length === 20, { timeout: 10_000, message: 'both edges' }).toBe(true);
    expect(a).toEqual(b);
  });

  it('comes back by itself after the NATS server is killed and restarted', async () => {
    const origin = await natsRelay('o2');
    const edge = await natsRelay('e3');
    const got: number[] = [];
    edge.subscribe('after', (f) => got.push(f.seq));
    await edge.flush();
    nats?.kill();
    await nats?.restart();
    let s = 1;
    const deadline = Date.now() + 15_000;
    while (got.length === 0 && Date.now() < deadline) {
      origin.publish('after', frame(s++), 1);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(got.length).toBeGreaterThan(0);
  });
});
