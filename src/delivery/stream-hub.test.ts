import { afterEach, describe, it, expect } from 'vitest';
import { CLOSE_CODES } from '../protocol/close-codes.ts';
import { DefaultBackpressurePolicy } from './backpressure.ts';
import { TestClient, range, startHubServer, testFrame, type HubServer } from './hub-server.test-helper.ts';
import { PublishQueue } from './publish-queue.ts';
import { StreamHub, levelFor, type StreamHubOptions } from './stream-hub.ts';
import { asStreamId } from './stream-id.ts';

const S = asStreamId('s1');
let server: HubServer | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server?.close();
  server = null;
});


const setup = async (options: StreamHubOptions = {}) => {
  let clock = 1_000;
  const now = (): number => clock;
  const hub = new StreamHub({ now, ...options });
  hub.openStream(S);
  server = await startHubServer(hub, now);
  const srv = server;
  const connect = async (resume: number | null = null, stream = 's1'): Promise<TestClient> => {
    const c = await TestClient.connect(srv.endpoint, stream, resume);
    clients.push(c);
    return c;
  };
  const publish = (from: number, to: number, bytes = 3): void => {
    for (let s = from; s <= to; s++) {
      clock += 20;
      hub.publishFrame(S, testFrame(s, bytes));
    }
  };
  return { hub, srv, connect, publish };
};

describe('StreamHub over real ws sockets', () => {
  it('encodes each batch once and writes the same buffer object to every listener', async () => {
    const { hub, srv, connect, publish } = await setup();
    const listeners = [await connect(), await connect(), await connect()];
    publish(1, 9);
    for (const c of listeners) await c.until(() => c.seqs.length === 9);
    for (const c of listeners) expect(c.seqs).toEqual(range(1, 9));
    expect(hub.stats()).toMatchObject({ batchesEncoded: 3, listeners: 3, framesSkipped: 0 });
    const sent = srv.connections.map((c) => c.socket.sent.slice(-3));
    for (const other of sent.slice(1)) other.forEach((buf, i) => expect(buf).toBe(sent[0]?.[i]));
    expect(srv.errors).toEqual([]);
  });

  it('counts listeners per stream and in all (what a node reports to the cluster)', async () => {
    const { hub, connect } = await setup();
    hub.openStream(asStreamId('s2'));
    await connect();
    await connect();
    await connect(null, 's2');
    await expect.poll(() => hub.listenerCount()).toBe(3);
    expect([hub.streamListenerCount(S), hub.streamListenerCount(asStreamId('s2')), hub.streamListenerCount(asStreamId('none'))]).toEqual([2, 1, 0]);
  });

  it('tells a listener of a backstage stream to wait, then that it is live, then sends audio', async () => {
    const { connect, publish } = await setup();
    const c = await connect();
    publish(1, 3);
    await c.until(() => c.seqs.length === 3);
    expect(c.messages.map((m) => (m.type === 'audio' ? 'audio' : m.type === 'room' ? 'room' : m.state))).toEqual(['waiting', 'live', 'audio']);
  });

  it('gives a listener resuming from a seq in the ring exactly the frames after it, then the shared batches', async () => {
    const { hub, connect, publish } = await setup();
    publish(1, 31); // batches up to 30 were sent; 31 is pending
    const c = await connect(12);
    publish(32, 36);
    await c.until(() => c.seqs.includes(36));
    expect(c.seqs).toEqual(range(13, 36));
    expect(hub.stats()).toMatchObject({ catchUpBatches: 1, joinsResumed: 1 });
  });

  it('resumes without a catch-up batch when the listener already has every sent frame', async () => {
    const { hub, connect, publish } = await setup();
    publish(1, 7); // 1..6 sent, 7 pending
    const c = await connect(6);
    publish(8, 9);
    await c.until(() => c.seqs.length >= 3);
    expect(c.seqs).toEqual([7, 8, 9]);
    expect(hub.stats()).toMatchObject({ catchUpBatches: 0, joinsResumed: 1 });
  });

  it('starts at live a listener resuming from a seq older than the ring or from the future', async () => {
    const { hub, connect, publish } = await setup({ ringFrames: 10 });
    publish(1, 60);
    const old = await connect(5);
    const future = await connect(5000);
    publish(61, 63);
    for (const c of [old, future]) await c.until(() => c.seqs.length >= 3);
    for (const c of [old, future]) expect(c.seqs).toEqual([61, 62, 63]);
    expect(hub.stats()).toMatchObject({ catchUpBatches: 0, joinsLive: 2 });
  });

  it('closes a stream by sending what is pending, then closing every listener with the code given', async () => {
    const { hub, connect, publish } = await setup();
    const a = await connect();
    const b = await connect();
    publish(1, 4);
    hub.closeStream(S, CLOSE_CODES.roomEnded);
    for (const c of [a, b]) await c.until(() => c.closeCode !== null);
    for (const c of [a, b]) expect([c.seqs, c.closeCode]).toEqual([range(1, 4), 4010]);
    expect(hub.publishFrame(S, testFrame(5))).toBe(false);
    expect(hub.stats()).toMatchObject({ streams: 0, listeners: 0, framesForUnknownStream: 1 });
  });

  it('refuses an unknown stream with 4004 and a listener over capacity with 4029', async () => {
    const { hub, connect } = await setup({ maxListeners: 1 });
    await connect();
    const unknown = await connect(null, 'nope');
    const over = await connect();
    expect([unknown.closeCode, over.closeCode]).toEqual([4004, 4029]);
    expect(hub.stats()).toMatchObject({ listeners: 1, joinsRejectedNoStream: 1, joinsRejectedOverCapacity: 1 });
  });

  it('stops sending to a removed listener and treats a second removal as a no-op', async () => {
    const { hub, srv, connect, publish } = await setup();
    const kept = await connect();
    const gone = await connect();
    const result = srv.connections[1]?.result;
    if (!result?.ok) throw new Error('second listener was not attached');
    hub.removeListener(result.handle);
    hub.removeListener(result.handle);
    publish(1, 3);
    await kept.until(() => kept.seqs.length === 3);
    expect(gone.seqs).toEqual([]);
    expect(result.handle.detached).toBe(true);
    expect(hub.stats().listeners).toBe(1);
  });

  it('skips then closes with 4008 a listener that never reads, while the others get every frame', async () => {
    const maxBufferedBytes = 64 * 1024;
    const { hub, srv, connect, publish } = await setup({
      backpressure: new DefaultBackpressurePolicy({ maxBufferedBytes, maxBehindMs: 5000 }),
    });
    const fast = [await connect(), await connect()];
    const slow = await connect();
    slow.ws.pause();
    const slowServer = srv.connections[2];
    if (!slowServer?.result?.ok) throw new Error('slow listener was not attached');
    const slowHandle = slowServer.result.handle;
    const bytes = 4000;
    const batchBytes = 4 + 3 * (14 + bytes);
    let seq = 0;
    let maxBuffered = 0;
    // Publish until the kernel buffers of the paused socket are full and the hub starts skipping it.
    // Yielding once per batch lets the fast clients (same process) read; nothing here waits on time.
    while (slowHandle.skippedFrames === 0 && seq < 30_000) {
      publish(seq + 1, seq + 3, bytes);
      seq += 3;
      maxBuffered = Math.max(maxBuffered, slowServer.ws.bufferedAmount);
      await new Promise((r) => setImmediate(r));
    }
    expect(slowHandle.skippedFrames).toBeGreaterThan(0);
    // It stays over the bound: after maxBehindMs of skipping (the clock advances 60 ms a batch) it is closed.
    const skippedAt = seq;
    while (!slowHandle.detached && seq < skippedAt + 600) {
      publish(seq + 1, seq + 3, bytes);
      seq += 3;
      maxBuffered = Math.max(maxBuffered, slowServer.ws.bufferedAmount);
      await new Promise((r) => setImmediate(r));
    }
    expect(slowServer.socket.closedWith).toBe(4008);
    // Skipped from its first over-bound batch until one batch past 5000 ms: 84 batches of 60 ms.
    expect(slowHandle.skippedFrames).toBe(3 * (Math.floor(5000 / 60) + 1));
    expect(maxBuffered).toBeGreaterThan(maxBufferedBytes);
    expect(maxBuffered).toBeLessThanOrEqual(maxBufferedBytes + batchBytes);
    publish(seq + 1, seq + 3, bytes);
    seq += 3;
    for (const c of fast) await c.until(() => c.seqs.length === seq);
    for (const c of fast) expect(c.seqs).toEqual(range(1, seq));
    const stats = hub.stats();
    expect(stats).toMatchObject({ slowCloses: 1, listeners: 2 });
    expect(stats.framesSkipped).toBe(slowHandle.skippedFrames);
    // Once it reads again it finds a gap where it was skipped, and the close code that says why.
    slow.ws.resume();
    await slow.until(() => slow.closeCode !== null);
    expect(slow.closeCode).toBe(4008);
    const got = slow.seqs;
    expect(got.length).toBeLessThan(seq);
    expect(got).toEqual([...got].sort((x, y) => x - y));
    expect(srv.errors).toEqual([]);
  });

  it('sends longer batches while the node is busy and goes back once it is not, without losing a frame', async () => {
    const { hub, connect, publish } = await setup({ batchMs: 60, levels: [{ batchMs: 120, aboveListeners: 3 }] });
    const a = await connect();
    const b = await connect();
    publish(1, 60);
    expect(hub.currentBatchMs()).toBe(60);
    const c = await connect();
    publish(61, 120); // the check runs at most once a second of stream time
    expect(hub.currentBatchMs()).toBe(120);
    publish(121, 240);
    hub.flush(S);
    for (const x of [a, b, c]) await x.until(() => x.seqs.at(-1) === 240);
    expect(a.seqs).toEqual(range(1, 240));
    // each message after the switch carries 6 frames (120 ms), before it 3
    const sizes = a.messages.filter((m) => m.type === 'audio').map((m) => (m.type === 'audio' ? m.frames.length : 0));
    expect(sizes.slice(0, 3)).toEqual([3, 3, 3]);
    expect(sizes.slice(-6, -1)).toEqual([6, 6, 6, 6, 6]);
    c.ws.close();
    b.ws.close();
    for (let i = 0; i < 500 && hub.stats().listeners !== 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(hub.stats().listeners).toBe(1);
    publish(241, 360);
    hub.flush(S);
    expect(hub.currentBatchMs()).toBe(60);
    expect(hub.stats().batchMs).toBe(60);
    await a.until(() => a.seqs.at(-1) === 360);
    expect(a.seqs).toEqual(range(1, 360));
  });

  it('climbs a second level at its own threshold and each message then carries its longer batch', async () => {
    const { hub, connect, publish } = await setup({ batchMs: 60, levels: [{ batchMs: 120, aboveListeners: 2 }, { batchMs: 160, aboveListeners: 3 }] });
    const a = await connect();
    await connect();
    publish(1, 60);
    expect(hub.currentBatchMs()).toBe(120);
    await connect();
    publish(61, 120);
    expect(hub.currentBatchMs()).toBe(160);
    publish(121, 240);
    hub.flush(S);
    await a.until(() => a.seqs.at(-1) === 240);
    expect(a.seqs).toEqual(range(1, 240));
    const sizes = a.messages.filter((m) => m.type === 'audio').map((m) => (m.type === 'audio' ? m.frames.length : 0));
    expect(sizes.slice(-6, -1)).toEqual([8, 8, 8, 8, 8]);
  });

  it('refuses batch levels that do not grow', () => {
    expect(() => new StreamHub({ batchMs: 60, levels: [{ batchMs: 40, aboveListeners: 10 }] })).toThrow(/must grow/);
    expect(() => new StreamHub({ batchMs: 60, levels: [{ batchMs: 120, aboveListeners: 10 }, { batchMs: 160, aboveListeners: 10 }] })).toThrow(/must grow/);
    expect(() => new StreamHub({ batchMs: 60, levels: [{ batchMs: 120, aboveListeners: 10 }, { batchMs: 100, aboveListeners: 20 }] })).toThrow(/must grow/);
    expect(() => new StreamHub({ batchMs: 60, levels: [{ batchMs: 130, aboveListeners: 10 }] })).toThrow();
  });

  it('picks the level for a listener count with 80% hysteresis on the way down', () => {
    const levels = [{ batchMs: 120, aboveListeners: 5_000 }, { batchMs: 160, aboveListeners: 10_000 }];
    const cases: Array<[current: number, listeners: number, next: number]> = [
      [-1, 0, -1],
      [-1, 4_999, -1],
      [-1, 5_000, 0],
      [-1, 10_000, 1], // a surge climbs both levels at once
      [0, 9_999, 0],
      [0, 10_000, 1],
      [0, 4_000, 0], // 80% of 5,000: stays
      [0, 3_999, -1],
      [1, 8_000, 1],
      [1, 7_999, 0],
      [1, 3_999, -1], // everyone left: down both levels at once
      [1, 20_000, 1],
    ];
    for (const [current, listeners, next] of cases) expect([current, listeners, levelFor(levels, current, listeners)]).toEqual([current, listeners, next]);
    expect(levelFor([], -1, 1_000_000)).toBe(-1);
  });

  it('primes a listener joining live with the last batch already sent, then goes on with no gap and no repeat', async () => {
    const { hub, connect, publish } = await setup({ primeFrames: 8, batchMs: 120 });
    const first = await connect();
    publish(1, 14); // batches through 12 sent, 13-14 pending
    const late = await connect();
    await late.until(() => late.seqs.length === 6);
    expect(late.seqs).toEqual(range(7, 12)); // one 120 ms batch, not the 8 frames it may hold at most
    publish(15, 18);
    await late.until(() => late.seqs.includes(18));
    expect(late.seqs).toEqual(range(7, 18));
    await first.until(() => first.seqs.includes(18));
    expect(first.seqs).toEqual(range(1, 18));
    hub.closeStream(S, CLOSE_CODES.roomEnded);
  });

  it('sizes the prime by the batch in use, so a joiner of a quiet node is not told batches are long', async () => {
    const { hub, connect, publish } = await setup({ primeFrames: 8, batchMs: 60, levels: [{ batchMs: 160, aboveListeners: 3 }] });
    await connect();
    publish(1, 10); // 60 ms batches through 9
    const quiet = await connect();
    await quiet.until(() => quiet.seqs.length === 3);
    expect(quiet.seqs).toEqual(range(7, 9));
    await connect();
    publish(11, 60); // three listeners: the check (once a second of stream time) moves the node to 160 ms batches
    expect(hub.currentBatchMs()).toBe(160);
    publish(61, 100);
    const busy = await connect();
    await busy.until(() => busy.seqs.length > 0);
    const firstAudio = busy.messages.find((m) => m.type === 'audio');
    const primed = firstAudio?.type === 'audio' ? firstAudio.frames.map((f) => f.seq) : [];
    expect(primed).toEqual(range(primed[0] ?? 0, (primed[0] ?? 0) + 7)); // one 160 ms batch: 8 frames in a row
  });

  it('sends no prime to a listener of a stream not yet live, or to one resuming', async () => {
    const { hub, connect, publish } = await setup({ primeFrames: 6 });
    await connect();
    publish(1, 12);
    // a listener of a stream not yet live, or resuming, gets no prime
    hub.openStream(asStreamId('s2'));
    const backstage = await connect(null, 's2');
    const resumed = await connect(11);
    publish(13, 15);
    await resumed.until(() => resumed.seqs.includes(15));
    expect(resumed.seqs).toEqual(range(12, 15));
    expect(backstage.seqs).toEqual([]);
  });
});

describe('StreamHub in shards, written a slice at a time', () => {
  it('a joiner between slices of a batch gets what its shard was sent, then the rest: no gap, no repeat', async () => {
    const yields: (() => void)[] = [];
    // one shard's job per slice: every batch to 3 shards needs the loop let go twice
    const queue = new PublishQueue({ sliceMs: 0, yieldLoop: (fn) => yields.push(fn) });
    const { hub, connect, publish } = await setup({ shardSize: 2, queue, primeFrames: 3 });
    const first = [await connect(), await connect(), await connect(), await connect(), await connect()];
    publish(1, 3); // 'live' then batch 1 queued for 3 shards: only shard 0's 'live' written so far
    expect(queue.pending).toBe(5);
    // a resume and a live join now, into shard 2 (whose 'live' and batch 1 are still queued) and a new shard 3
    const resumer = await connect(0);
    const joiner = await connect();
    while (yields.length > 0) yields.shift()?.();
    publish(4, 9);
    while (yields.length > 0) yields.shift()?.();
    for (const c of [...first, resumer]) await c.until(() => c.seqs.length === 9);
    for (const c of [...first, resumer]) expect(c.seqs).toEqual(range(1, 9));
    await joiner.until(() => joiner.seqs.at(-1) === 9);
    expect(joiner.seqs).toEqual(range(joiner.seqs[0] ?? 0, 9)); // from wherever it started, in order, once each
    expect(hub.stats()).toMatchObject({ listeners: 7 });
    expect(queue.slices).toBeGreaterThan(0);
  });
});

describe('StreamHub draining', () => {
  it('sheds one shard at a time with 1001 after everything sent (each can resume above its last frame elsewhere); joiners are sent elsewhere', async () => {
    const { hub, connect, publish } = await setup({ shardSize: 2, batchMs: 60 });
    const listeners = [await connect(), await connect(), await connect()];
    publish(1, 4);
    for (const c of listeners) await c.until(() => c.seqs.length >= 3);
    hub.startDraining();
    const late = await connect();
    await late.until(() => late.closeCode !== null);
    expect(late.closeCode).toBe(CLOSE_CODES.goingAway);
    // the first shed closes the first shard (2 listeners) only, after flushing frame 4 to them
    expect(hub.shed()).toBe(2);
    const [a, b, c] = listeners as [TestClient, TestClient, TestClient];
    for (const x of [a, b]) await x.until(() => x.closeCode !== null);
    expect([a.closeCode, b.closeCode, c.closeCode]).toEqual([CLOSE_CODES.goingAway, CLOSE_CODES.goingAway, null]);
    expect(a.seqs).toEqual(range(1, 4));
    publish(5, 6);
    expect(hub.shed()).toBe(1);
    await c.until(() => c.closeCode !== null);
    expect(c.seqs).toEqual(range(1, 6));
    expect(hub.shed()).toBe(0);
    expect(hub.listenerCount()).toBe(0);
  });
});
