/**
 * @module bench/ogg-page-reader — finds Ogg page boundaries (RFC 3533) in a byte stream as it arrives
 * over a socket, for the Icecast listeners of the load generator: the "OggS" capture pattern, the
 * header length from the segment count, the body length from the segment table, and per page the
 * granule position, serial, sequence number and how many packets end on it. It reads pages in place
 * (one copy only when a page spans reads) and never looks inside packets or checks the CRC: TCP on
 * loopback does not corrupt bytes, and checking would cost the generator CPU the measurement needs.
 * It never throws on bad input: bytes that are not a page are skipped to the next capture pattern and
 * counted.
 */
import { Buffer } from 'node:buffer';

/** "OggS" */
export const OGG_CAPTURE = Buffer.from('OggS', 'latin1');
/** capture pattern, version, type, granule (8), serial (4), sequence (4), CRC (4), segment count */
export const OGG_HEADER_BYTES = 27;
/** the largest page: 27 + 255 segment entries + 255 × 255 body bytes */
export const OGG_MAX_PAGE_BYTES = OGG_HEADER_BYTES + 255 + 255 * 255;
/** header type flag: the page's first packet continues one from the previous page */
export const OGG_CONTINUED = 0x01;

/** what the reader reports for each whole page */
export interface OggPage {
  /** header type flags (continued 0x01, first 0x02, last 0x04) */
  readonly flags: number;
  /** granule position as a number, or -1 when no packet ends on this page */
  readonly granule: number;
  readonly serial: number;
  readonly sequence: number;
  /** packets that end on this page (segments shorter than 255 bytes) */
  readonly packets: number;
  /** header + body */
  readonly bytes: number;
}

export interface OggPageSink {
  page(page: OggPage): void;
  /** `skipped` bytes did not start with a capture pattern and were passed over */
  garbage(skipped: number): void;
}

/**
 * The granule position of the page at `at`: a little-endian 64-bit field read as two halves, so no
 * BigInt is made per page. -1 (all ones) means no packet ends here; Opus granules (48 kHz samples)
 * stay far below 2^53, so the number is exact.
 */
export function granuleAt(buf: Buffer, at: number): number {
  const lo = buf.readUInt32LE(at + 6);
  const hi = buf.readUInt32LE(at + 10);
  if (hi === 0xffffffff && lo === 0xffffffff) return -1;
  return hi * 2 ** 32 + lo;
}

/** One reader per stream: push each received chunk in order; whole pages go to the sink. */
export class OggPageReader {
  readonly #sink: OggPageSink;
  #pending: Buffer | null = null;
  // One mutable page record reused for every page: the sink reads it during the call only.
  readonly #page = { flags: 0, granule: 0, serial: 0, sequence: 0, packets: 0, bytes: 0 };

  constructor(sink: OggPageSink) {
    this.#sink = sink;
  }

  /** bytes held back because the last page in them was not whole yet */
  get pendingBytes(): number {
    return this.#pending?.length ?? 0;
  }

  push(chunk: Buffer): void {
    const buf = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = null;
    let at = 0;
    while (buf.length - at >= OGG_HEADER_BYTES) {
      if (buf[at] !== 0x4f || buf[at + 1] !== 0x67 || buf[at + 2] !== 0x67 || buf[at + 3] !== 0x53 || buf[at + 4] !== 0) {
        // Not a page start (or an Ogg version we do not know): resynchronise on the next "OggS".
        const next = buf.indexOf(OGG_CAPTURE, at + 1);
        const to = next < 0 ? Math.max(at + 1, buf.length - (OGG_CAPTURE.length - 1)) : next;
        this.#sink.garbage(to - at);
        at = to;
        continue;
      }
      const segments = buf[at + 26] ?? 0;
      const headerEnd = at + OGG_HEADER_BYTES + segments;
      if (headerEnd > buf.length) break;
      let body = 0;
      let packets = 0;
      for (let i = at + OGG_HEADER_BYTES; i < headerEnd; i++) {
        const lace = buf[i] ?? 0;
        body += lace;
        if (lace < 255) packets++;
      }
      const end = headerEnd + body;
      if (end > buf.length) break;
      const p = this.#page;
      p.flags = buf[at + 5] ?? 0;
      p.granule = granuleAt(buf, at);
      p.serial = buf.readUInt32LE(at + 14);
      p.sequence = buf.readUInt32LE(at + 18);
      p.packets = packets;
      p.bytes = end - at;
      this.#sink.page(p);
      at = end;
    }
    // Copy the partial page so it does not pin the whole received chunk.
    if (at < buf.length) this.#pending = Buffer.from(buf.subarray(at));
  }
}
