import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oggCrc32 } from './ogg-crc.ts';
import { OggOpusMuxer } from './ogg-opus.ts';
import { FRAME_SAMPLES, OpusFrameEncoder } from './opus-codec.ts';
import { toolForTests } from './external-tool.test-helper.ts';
import { rms, sineFrames, toneShare } from './tone-analysis.test-helper.ts';

interface Page {
  flags: number;
  granule: bigint;
  serial: number;
  seq: number;
  crc: number;
  crcOk: boolean;
  packets: Uint8Array[];
}

/** A minimal independent Ogg reader: splits pages, checks CRCs, rebuilds packets from lacing values. */
function readPages(bytes: Uint8Array): Page[] {
  const pages: Page[] = [];
  let o = 0;
  while (o < bytes.length) {
    const v = new DataView(bytes.buffer, bytes.byteOffset + o);
    expect(String.fromCharCode(...bytes.subarray(o, o + 4))).toBe('OggS');
    const nseg = bytes[o + 26]!;
    const lacing = bytes.subarray(o + 27, o + 27 + nseg);
    const bodyLen = lacing.reduce((a, b) => a + b, 0);
    const len = 27 + nseg + bodyLen;
    const page = bytes.slice(o, o + len);
    const crc = v.getUint32(22, true);
    new DataView(page.buffer).setUint32(22, 0, true);
    const packets: Uint8Array[] = [];
    let start = 27 + nseg;
    let size = 0;
    for (const l of lacing) {
      size += l;
      if (l < 255) {
        packets.push(bytes.subarray(o + start, o + start + size));
        start += size;
        size = 0;
      }
    }
    pages.push({ flags: bytes[o + 5]!, granule: v.getBigInt64(6, true), serial: v.getUint32(14, true), seq: v.getUint32(18, true), crc, crcOk: oggCrc32(page) === crc, packets });
    o += len;
  }
  return pages;
}

function twoSecondsOfTone(freq: number): Uint8Array[] {
  const enc = new OpusFrameEncoder({ bitrate: 32_000 });
  const sine = sineFrames(freq, 0.5);
  return Array.from({ length: 100 }, () => enc.encode(sine(FRAME_SAMPLES)));
}

describe('oggCrc32', () => {
  it('matches the CRC-32 check value of the Ogg polynomial (init 0, no final xor)', () => {
    // CRC-32/POSIX check value is 0x765e7680 with a final xor of all ones; Ogg omits that xor.
    expect(oggCrc32(new TextEncoder().encode('123456789'))).toBe(~0x765e7680 >>> 0);
  });
});

describe('OggOpusMuxer', () => {
  it('writes OpusHead and OpusTags pages, then audio pages with valid CRCs, sequence and granules', () => {
    const mux = new OggOpusMuxer({ serial: 0x1234, packetsPerPage: 3, preSkip: 312 });
    const packets = twoSecondsOfTone(440);
    const parts = [mux.header(), ...packets.map((p) => mux.push(p)), mux.end()];
    const bytes = Uint8Array.from(parts.flatMap((p) => [...p]));
    const pages = readPages(bytes);

    expect(pages.every((p) => p.crcOk)).toBe(true);
    expect(pages.map((p) => p.seq)).toEqual(pages.map((_, i) => i));
    expect(new Set(pages.map((p) => p.serial))).toEqual(new Set([0x1234]));
    expect(pages[0]!.flags & 0x02).toBe(0x02); // BOS
    expect(pages.at(-1)!.flags & 0x04).toBe(0x04); // EOS
    const head = pages[0]!.packets[0]!;
    expect(new TextDecoder().decode(head.subarray(0, 8))).toBe('OpusHead');
    expect(head[9]).toBe(1);
    expect(new DataView(head.buffer, head.byteOffset).getUint16(10, true)).toBe(312);
    expect(new TextDecoder().decode(pages[1]!.packets[0]!.subarray(0, 8))).toBe('OpusTags');
    expect(pages[0]!.granule).toBe(0n);
    expect(pages[1]!.granule).toBe(0n);

    const audio = pages.slice(2);
    const rebuilt = audio.flatMap((p) => p.packets);
    expect(rebuilt.map((p) => Buffer.from(p))).toEqual(packets.map((p) => Buffer.from(p)));
    let count = 0;
    for (const p of audio) {
      count += p.packets.length;
      expect(p.granule).toBe(BigInt(count * FRAME_SAMPLES));
    }
  });

  it('laces a packet of exactly 255 bytes with a terminating zero segment', () => {
    const mux = new OggOpusMuxer({ packetsPerPage: 1 });
    mux.header();
    const packet = new Uint8Array(255).fill(7);
    packet[0] = 0xf8; // CELT FB 20 ms, one frame
    const page = readPages(mux.push(packet))[0]!;
    expect(page.packets.map((p) => Buffer.from(p))).toEqual([Buffer.from(packet)]);
    expect(page.granule).toBe(960n);
  });

  it.skipIf(!toolForTests('ffmpeg', 'the Ogg/Opus file decoded back by ffmpeg'))('produces a file ffmpeg decodes back to the tone', () => {
    const mux = new OggOpusMuxer({ packetsPerPage: 2 });
    const packets = twoSecondsOfTone(660);
    const bytes = Uint8Array.from([mux.header(), ...packets.map((p) => mux.push(p)), mux.end()].flatMap((p) => [...p]));
    const dir = mkdtempSync(join(tmpdir(), 'amphi-ogg-'));
    try {
      const file = join(dir, 'tone.ogg');
      writeFileSync(file, bytes);
      const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ar', '48000', '-ac', '1', '-'], { maxBuffer: 16 << 20 });
      const pcm = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1);
      // 2 s of audio minus the pre-skip, give or take a frame.
      expect(Math.abs(pcm.length - (96_000 - 312))).toBeLessThanOrEqual(FRAME_SAMPLES);
      const middle = pcm.subarray(4800, pcm.length - 4800);
      expect(rms(middle)).toBeGreaterThan(0.25);
      expect(toneShare(middle, 660, [440, 550, 880, 1000])).toBeGreaterThan(0.95);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
