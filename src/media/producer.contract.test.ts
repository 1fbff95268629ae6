/**
 * One contract for the ProgramProducer seam, run against both implementations: `StageRooms` on the
 * test's thread and `ThreadProducer` in a worker. Real WebRTC (a @roamhq/wrtc speaker), real Opus.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LOOPBACK_PEER_CONFIG } from './peer-config.ts';
import { ProducerRejection, type ProducerEvents, type ProducerFrame, type ProgramProducer } from './producer.ts';
import { ThreadProducer } from './producer-thread.ts';
import { StageRooms } from './stage-rooms.ts';
import { SyntheticSpeaker } from './synthetic-speaker.test-helper.ts';
import { OpusFrameDecoder } from './opus-codec.ts';

interface Harness {
  readonly producer: ProgramProducer;
  readonly frames: ProducerFrame[];
  readonly levels: Map<string, number>;
  readonly skipped: number[];
}

const OPEN = { toStage: true, toProgram: true } as const;
const CLOSED = { toStage: false, toProgram: false } as const;

const implementations: ReadonlyArray<readonly [string, (events: ProducerEvents) => Promise<ProgramProducer>]> = [
  ['StageRooms (this thread)', async (events) => new StageRooms({ peer: LOOPBACK_PEER_CONFIG, bitrate: 32_000, levelsEveryMs: 50 }, events)],
  [
    'ThreadProducer (worker thread)',
    async (events) => {
      const p = new ThreadProducer({ peer: LOOPBACK_PEER_CONFIG, bitrate: 32_000, levelsEveryMs: 50 }, events);
      await p.ready;
      return p;
    },
  ],
];

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** RMS of the decoded frames (full scale 1) */
const rmsOf = (frames: readonly ProducerFrame[]): number => {
  const dec = new OpusFrameDecoder();
  let sum = 0;
  let n = 0;
  for (const f of frames) {
    for (const v of dec.decode(f.opus)) {
      sum += (v / 32768) ** 2;
      n++;
    }
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
};

describe.each(implementations)('ProgramProducer contract: %s', (_name, make) => {
  const harness = async (): Promise<Harness> => {
    const frames: ProducerFrame[] = [];
    const levels = new Map<string, number>();
    const skipped: number[] = [];
    const producer = await make({
      frame: (f) => frames.push(f),
      signal: () => undefined,
      levels: (_room, l) => {
        for (const { id, rms } of l) levels.set(id, Math.max(levels.get(id) ?? 0, rms));
      },
      skipped: (_room, n) => skipped.push(n),
      error: () => undefined,
    });
    cleanup.push(() => producer.shutdown());
    return { producer, frames, levels, skipped };
  };

  it('a live room gets one frame per 20 ms from firstSeq on, in order, and none after it closes', async () => {
    const h = await harness();
    h.producer.update('r1', { live: true, firstSeq: 1000, gates: {} });
    await expect.poll(() => h.frames.length >= 25, { timeout: 10_000, message: '25 frames' }).toBe(true);
    const seqs = h.frames.map((f) => f.seq);
    expect(seqs[0]).toBe(1000);
    seqs.forEach((s, i) => expect(s).toBe(1000 + i));
    expect(h.frames.every((f) => f.roomId === 'r1')).toBe(true);
    h.producer.close('r1');
    await new Promise((r) => setTimeout(r, 100));
    const after = h.frames.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(h.frames.length).toBe(after);
    expect(h.producer.stats().framesEmitted).toBe(after);
    expect(h.skipped).toEqual([]);
  });

  it('a room that is not live emits nothing', async () => {
    const h = await harness();
    h.producer.update('r2', { live: false, firstSeq: 0, gates: {} });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.frames).toEqual([]);
  });

  it('refuses an offer from someone not on the stage, and a broken offer, with reasons', async () => {
    const h = await harness();
    h.producer.update('r3', { live: true, firstSeq: 0, gates: { host: OPEN } });
    await expect(h.producer.publish('r3', 'stranger', 'v=0')).rejects.toMatchObject({ reason: 'not-on-stage' });
    await expect(h.producer.publish('nope', 'host', 'v=0')).rejects.toBeInstanceOf(ProducerRejection);
    await expect(h.producer.publish('r3', 'host', 'not sdp at all')).rejects.toMatchObject({ reason: 'bad-offer' });
  });

  it("a speaker is in the program while their gate is open and out of it from the next frames once it closes", async () => {
    const h = await harness();
    h.producer.update('r4', { live: true, firstSeq: 0, gates: { host: OPEN } });
    const speaker = await SyntheticSpeaker.connect((sdp) => h.producer.publish('r4', 'host', sdp), { freq: 440, amplitude: 0.3 });
    cleanup.push(() => speaker.close());
    await expect.poll(() => (h.levels.get('host') ?? 0) > 0.05, { timeout: 10_000, message: 'the host is heard' }).toBe(true);
    const heardFrom = h.frames.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(rmsOf(h.frames.slice(heardFrom))).toBeGreaterThan(0.05);
    h.producer.update('r4', { live: true, firstSeq: 0, gates: { host: CLOSED } });
    // the jitter buffer's few frames already mixed may still play; after that, nothing of the host
    await new Promise((r) => setTimeout(r, 200));
    const mutedFrom = h.frames.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.frames.length - mutedFrom).toBeGreaterThan(10);
    expect(rmsOf(h.frames.slice(mutedFrom))).toBeLessThan(0.005);
  });
});

describe('a busy main thread', () => {
  /** what a fan-out burst to 20,000 sockets does to the main thread: hold it, here for 600 ms */
  const holdMainThread = (ms: number): void => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  it('costs the in-thread producer program time, and the worker thread none (frames arrive late, all of them)', async () => {
    const results: Record<string, { skipped: number; seqs: number[] }> = {};
    for (const [name, make] of implementations) {
      const frames: ProducerFrame[] = [];
      let skipped = 0;
      const producer = await make({ frame: (f) => frames.push(f), signal: () => undefined, levels: () => undefined, skipped: (_r, n) => (skipped += n), error: () => undefined });
      cleanup.push(() => producer.shutdown());
      producer.update('busy', { live: true, firstSeq: 0, gates: {} });
      await expect.poll(() => frames.length >= 5, { timeout: 10_000, message: 'frames flow' }).toBe(true);
      holdMainThread(600);
      await new Promise((r) => setTimeout(r, 300));
      producer.close('busy');
      results[name] = { skipped, seqs: frames.map((f) => f.seq) };
    }
    const main = results['StageRooms (this thread)'];
    const worker = results['ThreadProducer (worker thread)'];
    // 600 ms held, 100 ms of it caught up: ~25 ticks of the room's audio gone on the main thread
    expect(main?.skipped).toBeGreaterThanOrEqual(20);
    // the worker's clock kept time (a machine busy enough to hold the worker too may cost it a tick or two)
    expect(worker?.skipped).toBeLessThan(5);
    const seqs = worker?.seqs ?? [];
    expect(seqs.length).toBeGreaterThan(40);
    seqs.forEach((s, i) => expect(s).toBe(i));
  });
});
