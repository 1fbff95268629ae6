/**
 * @module ogg-opus — streams Opus packets as Ogg/Opus (RFC 7845) for `GET /rooms/:id/live.ogg`: one
 * muxer per HTTP response (each listener's file starts with its own OpusHead/OpusTags and granule 0),
 * audio pages of a few packets each so a live player is never more than one page behind. Granule
 * positions count 48 kHz samples including the pre-skip, read from each packet's TOC. It must never
 * encode audio or write to a socket: it returns bytes, the caller sends them.
 */
import { oggCrc32 } from './ogg-crc.ts';
import { opusPacketSamples } from './opus-packet.ts';

export interface OggOpusOptions {
  /** Stream serial number; random if omitted. */
  readonly serial?: number;
  readonly channels?: 1 | 2;
  /** Samples the decoder drops at the start: the encoder's look-ahead (libopus: 312 at 48 kHz). */
  readonly preSkip?: number;
  /** Packets per audio page; 1-3 keeps a live player's latency low. */
  readonly packetsPerPage?: number;
  readonly vendor?: string;
}

const HEADER_TYPE_CONTINUED = 0x01;
const HEADER_TYPE_BOS = 0x02;
const HEADER_TYPE_EOS = 0x04;
const MAX_SEGMENTS = 255;

export class OggOpusMuxer {
  readonly #serial: number;
  readonly #channels: 1 | 2;
  readonly #preSkip: number;
  readonly #perPage: number;
  readonly #vendor: string;
  #pageSeq = 0;
  #granule = 0;
  #pending: Uint8Array[] = [];
  #headerDone = false;
  #ended = false;

  constructor(options: OggOpusOptions = {}) {
    this.#serial = (options.serial ?? Math.floor(Math.random() * 0x1_0000_0000)) >>> 0;
    this.#channels = options.channels ?? 1;
    this.#preSkip = options.preSkip ?? 312;
    this.#perPage = Math.max(1, Math.min(options.packetsPerPage ?? 2, 40));
    this.#vendor = options.vendor ?? 'amphi';
  }

  /** The two header pages (OpusHead, OpusTags); call once, before any audio. */
  header(): Uint8Array {
    if (this.#headerDone) throw new RangeError('ogg-opus: header() already called');
    this.#headerDone = true;
    const head = new Uint8Array(19);
    const hv = new DataView(head.buffer);
    head.set(ascii('OpusHead'), 0);
    head[8] = 1; // version
    head[9] = this.#channels;
    hv.setUint16(10, this.#preSkip, true);
    hv.setUint32(12, 48_000, true); // original input rate, informational
    hv.setInt16(16, 0, true); // output gain
    head[18] = 0; // channel mapping family 0: mono/stereo
    const vendor = ascii(this.#vendor);
    const tags = new Uint8Array(8 + 4 + vendor.length + 4);
    const tv = new DataView(tags.buffer);
    tags.set(ascii('OpusTags'), 0);
    tv.setUint32(8, vendor.length, true);
    tags.set(vendor, 12);
    tv.setUint32(12 + vendor.length, 0, true); // no user comments
    return concat([this.#page([head], 0, HEADER_TYPE_BOS), this.#page([tags], 0, 0)]);
  }

  /** Adds one packet; returns a finished page when one is full, else an empty array. */
  push(packet: Uint8Array): Uint8Array {
    if (!this.#headerDone || this.#ended) throw new RangeError('ogg-opus: push() needs header() first and no end()');
    this.#pending.push(packet);
    this.#granule += opusPacketSamples(packet);
    return this.#pending.length >= this.#perPage ? this.flush() : new Uint8Array(0);
  }

  /** Emits the pending packets as a page now (e.g. before a long pause). */
  flush(): Uint8Array {
    if (this.#pending.length === 0) return new Uint8Array(0);
    const page = this.#page(this.#pending, this.#granule, 0);
    this.#pending = [];
    return page;
  }

  /** Last page, flagged end-of-stream. */
  end(): Uint8Array {
    if (this.#ended) return new Uint8Array(0);
    this.#ended = true;
    const page = this.#page(this.#pending, this.#granule, HEADER_TYPE_EOS);
    this.#pending = [];
    return page;
  }

  /** One page, or several if the packets need more than 255 lacing values (continued packets). */
  #page(packets: readonly Uint8Array[], granule: number, flags: number): Uint8Array {
    const lacing: number[] = [];
    for (const p of packets) {
      for (let left = p.length; ; left -= 255) {
        if (left >= 255) lacing.push(255);
        else {
          lacing.push(left);
          break;
        }
      }
    }
    const body = concat(packets);
    if (lacing.length <= MAX_SEGMENTS) return this.#writePage(lacing, body, granule, flags);
    // Rare (only with many large packets per page): split at 255 segments; pages that end inside a
    // packet carry granule -1 as RFC 3533 requires.
    const out: Uint8Array[] = [];
    let offset = 0;
    let cont = 0;
    for (let i = 0; i < lacing.length; i += MAX_SEGMENTS) {
      const segs = lacing.slice(i, i + MAX_SEGMENTS);
      const size = segs.reduce((a, b) => a + b, 0);
      const last = i + MAX_SEGMENTS >= lacing.length;
      const endsInPacket = (segs[segs.length - 1] ?? 0) === 255;
      const g = last ? granule : endsInPacket ? -1 : granule;
      out.push(this.#writePage(segs, body.subarray(offset, offset + size), g, (last ? flags : flags & ~HEADER_TYPE_EOS) | cont));
      cont = endsInPacket ? HEADER_TYPE_CONTINUED : 0;
      offset += size;
    }
    return concat(out);
  }

  #writePage(lacing: readonly number[], body: Uint8Array, granule: number, flags: number): Uint8Array {
    const page = new Uint8Array(27 + lacing.length + body.length);
    const v = new DataView(page.buffer);
    page.set(ascii('OggS'), 0);
    page[4] = 0; // stream structure version
    page[5] = flags;
    v.setBigInt64(6, BigInt(granule), true);
    v.setUint32(14, this.#serial, true);
    v.setUint32(18, this.#pageSeq++, true);
    v.setUint32(22, 0, true); // CRC computed over the page with this field zero
    page[26] = lacing.length;
    page.set(lacing, 27);
    page.set(body, 27 + lacing.length);
    v.setUint32(22, oggCrc32(page), true);
    return page;
  }
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0x7f);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
