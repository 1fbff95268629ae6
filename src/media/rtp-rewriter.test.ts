import { describe, it, expect } from 'vitest';
import { RtpRewriter, type RtpIn } from './rtp-rewriter.ts';

const pkt = (sourceKey: string, ssrc: number, seq: number, ts: number, marker = false): RtpIn => ({ sourceKey, ssrc, sequenceNumber: seq, timestamp: ts, marker });

describe('RtpRewriter', () => {
  it('maps one source by a fixed offset so losses and reordering pass through unchanged', () => {
    const rw = new RtpRewriter(500, 10_000);
    const a = rw.rewrite(pkt('m1', 7, 100, 1000), 0);
    const b = rw.rewrite(pkt('m1', 7, 102, 1000 + 1920), 40);
    const c = rw.rewrite(pkt('m1', 7, 101, 1000 + 960), 41);
    expect(a.sequenceNumber).toBe(500);
    expect(b.sequenceNumber).toBe(502);
    expect(c.sequenceNumber).toBe(501);
    expect(b.timestamp - a.timestamp).toBe(1920);
    expect(c.timestamp - a.timestamp).toBe(960);
    expect(a.marker).toBe(true);
    expect(b.marker).toBe(false);
  });

  it('continues seamlessly when another member takes over the slot', () => {
    const rw = new RtpRewriter(0, 0);
    const a = rw.rewrite(pkt('m1', 7, 100, 1000), 0);
    const b = rw.rewrite(pkt('m2', 9, 40_000, 3_000_000), 100);
    expect(b.sequenceNumber).toBe(a.sequenceNumber + 1);
    expect(b.timestamp - a.timestamp).toBe(100 * 48);
    expect(b.marker).toBe(true);
    const c = rw.rewrite(pkt('m2', 9, 40_001, 3_000_960), 120);
    expect(c.sequenceNumber).toBe(b.sequenceNumber + 1);
    expect(c.timestamp - b.timestamp).toBe(960);
  });

  it('closes the sequence gap left by a gate instead of showing it as loss', () => {
    const rw = new RtpRewriter(0, 0);
    const a = rw.rewrite(pkt('m1', 7, 100, 96_000), 0);
    const b = rw.rewrite(pkt('m1', 7, 150, 96_000 + 50 * 960), 1000, true);
    expect(b.sequenceNumber).toBe(a.sequenceNumber + 1);
    expect(b.timestamp - a.timestamp).toBe(1000 * 48);
  });

  it('wraps sequence numbers and timestamps within their widths', () => {
    const rw = new RtpRewriter(65535, 0xffffff00);
    const a = rw.rewrite(pkt('m1', 7, 10, 0), 0);
    const b = rw.rewrite(pkt('m1', 7, 11, 960), 20);
    expect(a.sequenceNumber).toBe(65535);
    expect(b.sequenceNumber).toBe(0);
    expect(b.timestamp).toBe((a.timestamp + 960) >>> 0);
    expect(b.timestamp).toBeLessThan(0x1_0000_0000);
  });
});
