/**
 * @module bench/janus-rtp-count — what a light Janus listener counts from each SRTP packet's clear
 * header (RFC 3711 encrypts the payload only; version, payload type, sequence number, timestamp and SSRC
 * stay readable): packets received, packets lost by RFC 3550's extended-sequence rule, and RFC 3550's
 * interarrival jitter from arrival times. This is what a receiver's inbound-rtp stats report, without
 * decrypting. Pure arithmetic on Buffers and given times; it must never read a clock or a socket.
 */

export interface RtpHeader {
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
}

/** RFC 5761 §4: payload types 64-95 on a muxed port are RTCP (SR 200 and RR 201 show as 72 and 73) */
const isRtcpType = (pt: number): boolean => pt >= 64 && pt <= 95;

/** the fixed header of an RTP packet (version 2, not RTCP), or null */
export function rtpHeader(buf: Buffer): RtpHeader | null {
  if (buf.length < 12) return null;
  const b0 = buf[0] ?? 0;
  if (b0 >> 6 !== 2) return null;
  const payloadType = (buf[1] ?? 0) & 0x7f;
  if (isRtcpType(payloadType)) return null;
  return { payloadType, sequence: buf.readUInt16BE(2), timestamp: buf.readUInt32BE(4), ssrc: buf.readUInt32BE(8) };
}

/** a packet of RTP's family on a muxed port (RFC 7983: first byte 128-191), RTP or RTCP */
export const isRtpOrRtcp = (buf: Buffer): boolean => buf.length > 0 && (buf[0] ?? 0) >= 128 && (buf[0] ?? 0) < 192;

/** an SRTCP packet (sender reports and the like), counted apart from the audio */
export const isRtcp = (buf: Buffer): boolean => isRtpOrRtcp(buf) && buf.length >= 2 && isRtcpType((buf[1] ?? 0) & 0x7f);

const SEQ_MOD = 0x10000;
/** RFC 3550 A.1: a jump this far ahead is taken as a restart, not as loss */
const MAX_DROPOUT = 3000;
/** RFC 3550 A.1: this far behind the highest sequence is a late or duplicate packet */
const MAX_MISORDER = 100;

/**
 * One receiver's counters for one stream, in the sense of RFC 3550 A.1/A.3/A.8. A new SSRC or a jump of
 * the sequence number (the sender restarted) starts a new sequence space; what was counted before is kept.
 */
export class RtpReceiveCounter {
  readonly #clockRate: number;
  #ssrc: number | null = null;
  #baseSeq = 0;
  #maxSeq = 0;
  #cycles = 0;
  /** received in the current sequence space */
  #received = 0;
  /** totals of the sequence spaces before the current one */
  #receivedBefore = 0;
  #lostBefore = 0;
  #transit: number | null = null;
  /** in timestamp units, as RFC 3550 keeps it */
  #jitter = 0;

  constructor(clockRate: number) {
    this.#clockRate = clockRate;
  }

  /** counts one packet; `arrivalMs` is the receiver's clock (milliseconds, whatever its origin) */
  onPacket(h: RtpHeader, arrivalMs: number): void {
    const delta = (h.sequence - this.#maxSeq + SEQ_MOD) % SEQ_MOD;
    if (this.#ssrc !== h.ssrc || (delta >= MAX_DROPOUT && delta < SEQ_MOD - MAX_MISORDER)) {
      if (this.#ssrc !== null) {
        this.#receivedBefore += this.#received;
        this.#lostBefore += Math.max(0, this.#lostHere());
      }
      this.#ssrc = h.ssrc;
      this.#baseSeq = h.sequence;
      this.#maxSeq = h.sequence;
      this.#cycles = 0;
      this.#received = 0;
      this.#transit = null;
    } else if (delta > 0 && delta < MAX_DROPOUT) {
      if (h.sequence < this.#maxSeq) this.#cycles += SEQ_MOD;
      this.#maxSeq = h.sequence;
    }
    // Otherwise a duplicate or a late packet: counted as received, the highest sequence stays.
    this.#received++;
    // Transit in timestamp units, modulo 2^32 so a wrapping timestamp does not read as a 13-hour jump.
    const arrival = Math.round((arrivalMs * this.#clockRate) / 1000);
    const transit = (arrival - h.timestamp) | 0;
    if (this.#transit !== null) {
      const d = Math.abs((transit - this.#transit) | 0);
      this.#jitter += (d - this.#jitter) / 16;
    }
    this.#transit = transit;
  }

  #lostHere(): number {
    if (this.#ssrc === null) return 0;
    const expected = this.#cycles + this.#maxSeq - this.#baseSeq + 1;
    return expected - this.#received;
  }

  get received(): number {
    return this.#receivedBefore + this.#received;
  }

  /** cumulative packets lost (expected − received; duplicates can make it fall, as in RFC 3550) */
  get lost(): number {
    return this.#lostBefore + this.#lostHere();
  }

  /** interarrival jitter, seconds */
  get jitterSeconds(): number {
    return this.#jitter / this.#clockRate;
  }
}
