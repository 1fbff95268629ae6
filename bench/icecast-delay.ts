/**
 * @module bench/icecast-delay — the delay and loss accounting of the Icecast listeners, pure (arrival
 * times come in as arguments), so it can be tested on real Ogg bytes.
 *
 * Icecast does not tell a listener when a page was captured, so the clock is the program itself: the
 * feeder (ffmpeg -re) encodes in real time, so the page whose last sample is at granule G (48 kHz, as
 * for every Opus stream) was complete at t0 + G / 48000 s, for one unknown t0 per run (when ffmpeg
 * started its clock, plus the encoder's look-ahead). We estimate t0 as the smallest (arrival −
 * granule time) a reference listener sees: it connects first, while Icecast is idle, and stays for
 * the whole run. Every page's delay is then arrival − (t0 + G / 48000), i.e. the delay **relative to
 * the best case this path ever achieved** (feeder → Icecast → socket read on an idle server): it
 * never includes the constant part of that path, which Amphi's capture-stamped delay does. We report
 * it that way and say so.
 *
 * Two delays per page: `delay` is the page's (its last sample's); `packetDelay` is each Opus packet's,
 * which adds the time a packet waited for its page to fill — what Amphi's per-frame delay counts for
 * its batches. Packets in a page are taken as equally long (ffmpeg's libopus uses one frame size), from
 * the granule step since the previous page. A listener's first audio page is not a delay sample but
 * its join backlog: how far behind live a player that plays everything it is sent stays (Icecast's
 * burst-on-connect sends old pages first). Pages lost are gaps in a listener's page sequence numbers.
 *
 * Values go into the histograms relative to a fixed `base` (the feeder's start) plus a margin, and
 * are shifted by the reference's minimum when summarised, so a later, better t0 applies to every
 * sample recorded before it. This module never touches a socket or a clock.
 */
import { EMPTY_SUMMARY, Histogram, type DelaySummary } from './histogram.ts';
import type { IcecastDelayReport } from './loadgen-protocol.ts';
import type { OggPage } from './ogg-page-reader.ts';

/** Opus granule positions count 48 kHz samples whatever the input rate (RFC 7845 §4) */
export const OPUS_GRANULE_RATE = 48_000;
/** a page can arrive a little before its granule time says (encoder pre-skip): keep those above 0 */
const MARGIN_MS = 500;
/** generous: Icecast's default 64 KiB burst is ~16 s of 32 kbit/s audio, and its start takes a while */
const RANGE_MS = 120_000;

/** one listener's place in the stream */
export interface StreamPosition {
  serial: number;
  /** last page sequence number seen, -1 before the first page */
  lastSeq: number;
  /** granule of the last audio page, -1 before the first */
  lastGranule: number;
  /** arrival of the last page, ms (same clock as `arrival`) */
  lastPageAt: number;
  sawAudio: boolean;
}

export const freshPosition = (): StreamPosition => ({ serial: -1, lastSeq: -1, lastGranule: -1, lastPageAt: 0, sawAudio: false });

export class IcecastDelayStats {
  readonly #delay = new Histogram(0.5, RANGE_MS);
  readonly #packetDelay = new Histogram(0.5, RANGE_MS);
  readonly #joins = new Histogram(0.5, RANGE_MS);
  /** wall time the histograms count from, minus the margin */
  readonly #base: number;
  /** smallest (arrival − granule time − base) the reference saw, Infinity before its first audio page */
  #refMin = Number.POSITIVE_INFINITY;
  pages = 0;
  packets = 0;
  bytes = 0;
  pagesLost = 0;
  duplicates = 0;
  garbageBytes = 0;

  /** `baseWallMs`: a wall time at or before the feeder's start (the bench passes when it started ffmpeg) */
  constructor(baseWallMs: number) {
    this.#base = baseWallMs - MARGIN_MS;
  }

  /** accounts one whole page that arrived at `arrival` (wall ms) for the listener at `pos` */
  page(pos: StreamPosition, p: OggPage, arrival: number, isReference: boolean): void {
    this.pages++;
    this.bytes += p.bytes;
    let gap = false;
    if (p.serial !== pos.serial) {
      // A new logical stream (the feeder reconnected): sequence numbers and granules start over.
      pos.serial = p.serial;
      pos.lastSeq = -1;
      pos.lastGranule = -1;
    } else if (pos.lastSeq >= 0) {
      if (p.sequence > pos.lastSeq + 1) {
        this.pagesLost += p.sequence - pos.lastSeq - 1;
        gap = true;
      } else if (p.sequence <= pos.lastSeq) this.duplicates++;
    }
    if (pos.lastSeq < 0 || p.sequence > pos.lastSeq) pos.lastSeq = p.sequence;
    pos.lastPageAt = arrival;
    // Header pages (OpusHead, OpusTags) have granule 0; -1 means no packet ends here.
    if (p.granule <= 0 || p.packets === 0) return;
    this.packets += p.packets;
    const offset = arrival - (p.granule * 1000) / OPUS_GRANULE_RATE - this.#base;
    if (isReference && offset < this.#refMin) this.#refMin = offset;
    if (!pos.sawAudio) {
      pos.sawAudio = true;
      this.#joins.record(offset);
    } else {
      this.#delay.record(offset);
      if (!gap && pos.lastGranule > 0 && p.granule > pos.lastGranule) {
        const perPacketMs = ((p.granule - pos.lastGranule) * 1000) / OPUS_GRANULE_RATE / p.packets;
        for (let i = 0; i < p.packets; i++) this.#packetDelay.record(offset + (p.packets - 1 - i) * perPacketMs);
      }
    }
    pos.lastGranule = p.granule;
  }

  garbage(bytes: number): void {
    this.garbageBytes += bytes;
  }

  /** clears what a window measures (not t0, not the join backlog) */
  resetWindow(): void {
    this.#delay.reset();
    this.#packetDelay.reset();
    this.pages = this.packets = this.bytes = this.pagesLost = this.duplicates = this.garbageBytes = 0;
  }

  /** the join backlog counts the joins after this call */
  clearJoins(): void {
    this.#joins.reset();
  }

  get referenceSawAudio(): boolean {
    return Number.isFinite(this.#refMin);
  }

  report(): IcecastDelayReport {
    const shift = this.referenceSawAudio ? this.#refMin : 0;
    return {
      delay: shifted(this.#delay.summary(), shift),
      packetDelay: shifted(this.#packetDelay.summary(), shift),
      joinBacklog: shifted(this.#joins.summary(), shift),
      pages: this.pages,
      packets: this.packets,
      bytes: this.bytes,
      pagesLost: this.pagesLost,
      duplicates: this.duplicates,
      garbageBytes: this.garbageBytes,
      t0: this.referenceSawAudio ? this.#base + this.#refMin : null,
    };
  }
}

/** a summary of (value − shift); a listener can beat the reference by a hair, so never below 0 */
export function shifted(s: DelaySummary, shift: number): DelaySummary {
  if (s.count === 0) return EMPTY_SUMMARY;
  const at = (v: number): number => Math.max(0, v - shift);
  return { count: s.count, p50: at(s.p50), p99: at(s.p99), max: at(s.max), mean: at(s.mean) };
}
