import { describe, expect, it } from 'vitest';
import { isRtcp, isRtpOrRtcp, rtpHeader, RtpReceiveCounter, type RtpHeader } from './janus-rtp-count.ts';

/** an SRTP-looking packet: clear 12-byte header, then bytes standing for the encrypted payload and tag */
function packet(seq: number, ts: number, ssrc = 0x71b3c2cc, pt = 111, marker = false): Buffer {
  const b = Buffer.alloc(12 + 40, 0xa5);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  return b;
}

const header = (b: Buffer): RtpHeader => {
  const h = rtpHeader(b);
  if (h === null) throw new Error('not RTP');
  return h;
};

describe('the clear RTP header of an SRTP packet', () => {
  it('gives payload type, sequence, timestamp and SSRC; the marker bit is not part of the type', () => {
    expect(rtpHeader(packet(65535, 0xfffffff0, 0xdeadbeef, 111, true))).toEqual({ payloadType: 111, sequence: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef });
  });

  it('tells RTCP (sender reports, PT 200 = 72 with the marker bit) from RTP, and both from STUN and DTLS', () => {
    const sr = Buffer.from('80c80006' + '00'.repeat(24), 'hex');
    expect(isRtpOrRtcp(sr)).toBe(true);
    expect(isRtcp(sr)).toBe(true);
    expect(rtpHeader(sr)).toBeNull();
    expect(isRtcp(packet(1, 1))).toBe(false);
    expect(isRtpOrRtcp(Buffer.from('0001000c2112a442', 'hex'))).toBe(false);
    expect(isRtpOrRtcp(Buffer.from('16fefd', 'hex'))).toBe(false);
    expect(rtpHeader(Buffer.from('80', 'hex'))).toBeNull();
  });
});

describe('RtpReceiveCounter (RFC 3550 A.1, A.3, A.8)', () => {
  const FRAME = 960; // 20 ms at 48 kHz

  it('counts an unbroken stream: nothing lost, no jitter when packets arrive exactly on time', () => {
    const c = new RtpReceiveCounter(48_000);
    for (let i = 0; i < 100; i++) c.onPacket(header(packet(1000 + i, 5000 + i * FRAME)), 20 * i);
    expect(c.received).toBe(100);
    expect(c.lost).toBe(0);
    expect(c.jitterSeconds).toBe(0);
  });

  it('counts gaps as lost, across the 16-bit sequence wrap', () => {
    const c = new RtpReceiveCounter(48_000);
    const seqs = [65530, 65531, 65533, 65534, 65535, 0, 1, 4, 5];
    seqs.forEach((s, i) => c.onPacket(header(packet(s, i * FRAME)), 20 * i));
    expect(c.received).toBe(9);
    // 65530..5 is 12 packets: 65532, 2 and 3 missing.
    expect(c.lost).toBe(3);
  });

  it('counts a late packet as received (the gap it left closes) without moving the highest sequence back', () => {
    const c = new RtpReceiveCounter(48_000);
    for (const s of [10, 11, 13, 12, 14]) c.onPacket(header(packet(s, s * FRAME)), s * 20);
    expect(c.received).toBe(5);
    expect(c.lost).toBe(0);
  });

  it('follows RFC 3550 jitter: one packet 10 ms late moves the estimate by 1/16 of the 10 ms, twice', () => {
    const c = new RtpReceiveCounter(48_000);
    c.onPacket(header(packet(0, 0)), 0);
    c.onPacket(header(packet(1, FRAME)), 30); // 10 ms late: D = 480 units
    expect(c.jitterSeconds).toBeCloseTo(480 / 16 / 48_000, 9);
    c.onPacket(header(packet(2, 2 * FRAME)), 40); // back on time: D = 480 again
    expect(c.jitterSeconds).toBeCloseTo((480 / 16 + (480 - 480 / 16) / 16) / 48_000, 9);
  });

  it('handles the 32-bit timestamp wrap as a 20 ms step, not a jump of hours', () => {
    const c = new RtpReceiveCounter(48_000);
    c.onPacket(header(packet(0, 0xffffffff - FRAME + 1)), 1_000_000);
    c.onPacket(header(packet(1, 0)), 1_000_020);
    expect(c.jitterSeconds).toBe(0);
  });

  it('keeps what was counted when the sender restarts (a new SSRC or a far sequence jump)', () => {
    const c = new RtpReceiveCounter(48_000);
    for (const s of [1, 2, 4]) c.onPacket(header(packet(s, s * FRAME, 1)), s * 20);
    for (const s of [500, 501]) c.onPacket(header(packet(s, s * FRAME, 2)), 100 + s);
    expect(c.received).toBe(5);
    expect(c.lost).toBe(1);
    for (const s of [40_000, 40_002]) c.onPacket(header(packet(s, s * FRAME, 2)), 2000 + s);
    expect(c.received).toBe(7);
    expect(c.lost).toBe(2);
  });
});
