/**
 * @module bench/icecast-delay.test — the Icecast listeners' reading and accounting on real Ogg bytes:
 * pages found whatever way the stream is cut into reads, garbage skipped to the next page, and the
 * delay (relative to the reference's best case), per-packet delay, join backlog and lost pages
 * computed as bench/icecast-delay.ts explains. Pages are built by hand with a correct CRC, and a file
 * ffmpeg encodes (as the bench's feeder does) is read too (ffmpeg is required under CI=true).
 */
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPosition, IcecastDelayStats, shifted } from './icecast-delay.ts';
import { toolForTests } from '../src/media/external-tool.test-helper.ts';
import { OggPageReader, type OggPage, type OggPageSink } from './ogg-page-reader.ts';

/** the Ogg CRC-32 (polynomial 0x04c11db7, no reflection, initial 0) over the page with a zero CRC field */
function oggCrc(page: Buffer): number {
  let crc = 0;
  for (const byte of page) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

/** one Ogg page holding `packets` (each < 255 bytes here, one segment each) */
function page(o: { seq: number; granule: number; packets: number[]; serial?: number; flags?: number }): Buffer {
  const header = Buffer.alloc(27 + o.packets.length);
  header.write('OggS', 0, 'latin1');
  header[5] = o.flags ?? 0;
  if (o.granule < 0) header.fill(0xff, 6, 14);
  else {
    header.writeUInt32LE(o.granule % 2 ** 32, 6);
    header.writeUInt32LE(Math.floor(o.granule / 2 ** 32), 10);
  }
  header.writeUInt32LE(o.serial ?? 1234, 14);
  header.writeUInt32LE(o.seq, 18);
  header[26] = o.packets.length;
  o.packets.forEach((len, i) => (header[27 + i] = len));
  const body = Buffer.concat(o.packets.map((len, i) => Buffer.alloc(len, i + 1)));
  const whole = Buffer.concat([header, body]);
  whole.writeUInt32LE(oggCrc(whole), 22);
  return whole;
}

class Collect implements OggPageSink {
  readonly pages: OggPage[] = [];
  skipped = 0;
  page(p: OggPage): void {
    this.pages.push({ ...p });
  }
  garbage(n: number): void {
    this.skipped += n;
  }
}

/** a stream like the feeder's: OpusHead, OpusTags, then 60 ms pages of three 20 ms packets */
const stream = (audioPages: number): Buffer[] => [
  page({ seq: 0, granule: 0, packets: [19], flags: 0x02 }),
  page({ seq: 1, granule: 0, packets: [60] }),
  ...Array.from({ length: audioPages }, (_, i) => page({ seq: i + 2, granule: (i + 1) * 2880, packets: [80, 81, 79] })),
];

/** feeds pages to a listener: `at(granule)` gives each page's arrival time */
function feed(stats: IcecastDelayStats, pos: ReturnType<typeof freshPosition>, pages: Buffer[], at: (granule: number) => number, ref = false): void {
  const reader = new OggPageReader({ page: (p) => stats.page(pos, p, at(p.granule), ref), garbage: (n) => stats.garbage(n) });
  for (const p of pages) reader.push(p);
}

describe('OggPageReader', () => {
  it('finds every page with its granule, sequence and packet count, however the bytes are split', () => {
    const bytes = Buffer.concat(stream(5));
    for (const cut of [1, 7, 27, 28, 100, bytes.length]) {
      const sink = new Collect();
      const reader = new OggPageReader(sink);
      for (let at = 0; at < bytes.length; at += cut) reader.push(bytes.subarray(at, at + cut));
      expect(sink.pages.map((p) => [p.sequence, p.granule, p.packets])).toEqual([
        [0, 0, 1],
        [1, 0, 1],
        [2, 2880, 3],
        [3, 5760, 3],
        [4, 8640, 3],
        [5, 11520, 3],
        [6, 14400, 3],
      ]);
      expect(reader.pendingBytes).toBe(0);
      expect(sink.skipped).toBe(0);
    }
  });

  it('reads a 255-byte lacing value as a packet that goes on, and all-ones as "no granule"', () => {
    const sink = new Collect();
    new OggPageReader(sink).push(page({ seq: 3, granule: -1, packets: [255] }));
    expect(sink.pages[0]).toMatchObject({ granule: -1, packets: 0, bytes: 27 + 1 + 255 });
  });

  it('skips bytes that are not a page to the next capture pattern and counts them', () => {
    const sink = new Collect();
    const [a, b] = stream(1).slice(1);
    if (a === undefined || b === undefined) throw new TypeError('stream too short');
    new OggPageReader(sink).push(Buffer.concat([Buffer.from('HTTP junk'), a, Buffer.from('xx'), b]));
    expect(sink.pages.map((p) => p.sequence)).toEqual([1, 2]);
    expect(sink.skipped).toBe(11);
  });

  it('keeps a partial page until the rest arrives', () => {
    const sink = new Collect();
    const reader = new OggPageReader(sink);
    const p = page({ seq: 9, granule: 960, packets: [100] });
    reader.push(p.subarray(0, 50));
    expect(sink.pages).toHaveLength(0);
    expect(reader.pendingBytes).toBe(50);
    reader.push(p.subarray(50));
    expect(sink.pages).toHaveLength(1);
  });
});

describe('IcecastDelayStats', () => {
  const base = 1_000_000;

  it('measures delay from the reference listener’s best case, and each packet’s wait in its page', () => {
    const stats = new IcecastDelayStats(base);
    // The reference sees every page 30 ms after its last sample (t0 = base + 200 ms), once 5 ms better.
    feed(stats, freshPosition(), stream(10), (g) => base + 200 + (g / 48) + (g === 5760 ? 25 : 30), true);
    // Another listener gets the same pages 40 ms later than the reference's best.
    feed(stats, freshPosition(), stream(10), (g) => base + 200 + g / 48 + 65);
    const r = stats.report();
    expect(r.t0).toBeCloseTo(base + 225, 6);
    expect(r.delay.max).toBeCloseTo(40, 0);
    expect(r.delay.p50).toBeLessThanOrEqual(5.5);
    // First audio pages are join backlog, not delay samples: 9 delay pages each.
    expect(r.delay.count).toBe(18);
    expect(r.joinBacklog.count).toBe(2);
    // Packets: 3 per page after the first, the first packet of a page waited 40 ms more than its last.
    expect(r.packetDelay.count).toBe(2 * 9 * 3);
    expect(r.packetDelay.max).toBeCloseTo(80, 0);
    expect(r.pagesLost).toBe(0);
    expect(r.packets).toBe(2 * 10 * 3);
  });

  it('counts gaps in page sequence numbers as lost pages, per listener', () => {
    const stats = new IcecastDelayStats(base);
    const pages = stream(8).filter((_, i) => i !== 4 && i !== 5 && i !== 8);
    feed(stats, freshPosition(), pages, (g) => base + g / 48, true);
    expect(stats.report()).toMatchObject({ pagesLost: 3, duplicates: 0 });
  });

  it('gives a listener that joins with a burst of old pages its backlog, and the later live pages their delay', () => {
    const stats = new IcecastDelayStats(base);
    feed(stats, freshPosition(), stream(200), (g) => base + g / 48, true);
    // Joins at granule 100 pages in, is sent 50 pages (3 s) of backlog at once, then live pages.
    const joinAt = base + (150 * 2880) / 48;
    const burst = stream(150).slice(0, 2).concat(stream(150).slice(102));
    feed(stats, freshPosition(), [...burst, ...stream(160).slice(152)], (g) => Math.max(joinAt, base + g / 48));
    const r = stats.report();
    expect(r.joinBacklog.max).toBeCloseTo(2940, 0);
    expect(r.delay.max).toBeCloseTo(2880, 0);
  });

  it('starts over when the stream serial changes, without counting a loss', () => {
    const stats = new IcecastDelayStats(base);
    const pos = freshPosition();
    feed(stats, pos, stream(3), (g) => base + g / 48, true);
    feed(stats, pos, [page({ seq: 2, granule: 2880, packets: [80], serial: 99 })], (g) => base + g / 48, true);
    expect(stats.report().pagesLost).toBe(0);
    expect(pos.serial).toBe(99);
  });

  it('shifts a summary without going below zero', () => {
    expect(shifted({ count: 2, p50: 5, p99: 10, max: 12, mean: 6 }, 7)).toEqual({ count: 2, p50: 0, p99: 3, max: 5, mean: 0 });
  });
});

const FFMPEG = '/usr/bin/ffmpeg';
describe.runIf(toolForTests('ffmpeg', 'the Icecast listener reading an Ogg stream ffmpeg encodes'))('an Ogg Opus stream encoded by ffmpeg like the feeder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ogg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const encode = (pageArgs: string[]): Buffer => {
    const file = join(dir, `${pageArgs.length}.ogg`);
    execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '2', '-c:a', 'libopus', '-b:a', '32k', '-ac', '1', ...pageArgs, '-f', 'ogg', file]);
    return readFileSync(file);
  };

  it('has 60 ms pages of three packets with -page_duration 60000, in sequence, none lost', () => {
    const bytes = encode(['-page_duration', '60000']);
    const sink = new Collect();
    const reader = new OggPageReader(sink);
    for (let at = 0; at < bytes.length; at += 1000) reader.push(bytes.subarray(at, at + 1000));
    expect(sink.skipped).toBe(0);
    expect(reader.pendingBytes).toBe(0);
    const audio = sink.pages.filter((p) => p.granule > 0);
    expect(audio.length).toBeGreaterThan(30);
    // Every full page but the last (the stream's end adds the pre-skip) advances 2880 samples = 60 ms.
    const steps = audio.slice(1, -1).map((p, i) => p.granule - (audio[i]?.granule ?? 0));
    expect(new Set(steps)).toEqual(new Set([2880]));
    expect(audio.slice(0, -1).every((p) => p.packets === 3)).toBe(true);
    const stats = new IcecastDelayStats(0);
    feed(stats, freshPosition(), [bytes], (g) => g / 48 + 10, true);
    expect(stats.report()).toMatchObject({ pagesLost: 0, duplicates: 0, garbageBytes: 0 });
    expect(stats.report().delay.max).toBeLessThan(1);
  });

  it('has one-second pages with ffmpeg’s default page duration', () => {
    const sink = new Collect();
    new OggPageReader(sink).push(encode([]));
    const audio = sink.pages.filter((p) => p.granule > 0);
    expect(audio[0]?.granule).toBe(48_000);
    expect(audio[0]?.packets).toBe(50);
  });
});
