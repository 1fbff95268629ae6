import { describe, it, expect } from 'vitest';
import { FRAME_SAMPLES, OpusFrameDecoder, OpusFrameEncoder } from './opus-codec.ts';
import { opusPacketSamples } from './opus-packet.ts';
import { MediaError } from './errors.ts';
import { concatPcm, rms, sineFrames, toneShare } from './tone-analysis.test-helper.ts';

describe('OpusFrameEncoder / OpusFrameDecoder', () => {
  it('round-trips a 440 Hz tone through real Opus with the tone dominating', () => {
    const enc = new OpusFrameEncoder({ bitrate: 32_000 });
    const dec = new OpusFrameDecoder();
    const sine = sineFrames(440, 0.5);
    const out: Int16Array[] = [];
    for (let i = 0; i < 50; i++) {
      const packet = enc.encode(sine(FRAME_SAMPLES));
      expect(opusPacketSamples(packet)).toBe(FRAME_SAMPLES);
      out.push(dec.decode(packet));
    }
    const pcm = concatPcm(out.slice(5));
    expect(pcm.length).toBe(45 * FRAME_SAMPLES);
    expect(rms(pcm)).toBeGreaterThan(0.25);
    expect(toneShare(pcm, 440, [300, 600, 1000])).toBeGreaterThan(0.95);
  });

  it('encodes digital silence into tiny packets', () => {
    const enc = new OpusFrameEncoder();
    const sizes: number[] = [];
    for (let i = 0; i < 20; i++) sizes.push(enc.encode(new Int16Array(FRAME_SAMPLES)).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });

  it('conceals a lost frame with exactly one frame that continues the tone, then fades', () => {
    const enc = new OpusFrameEncoder();
    const dec = new OpusFrameDecoder();
    const sine = sineFrames(440, 0.5);
    for (let i = 0; i < 20; i++) dec.decode(enc.encode(sine(FRAME_SAMPLES)));
    const first = dec.conceal();
    expect(first.length).toBe(FRAME_SAMPLES);
    expect(rms(first)).toBeGreaterThan(0.05);
    let last = first;
    for (let i = 0; i < 10; i++) last = dec.conceal();
    expect(rms(last)).toBeLessThan(rms(first) / 4);
  });

  it('conceals with silence before any packet has been decoded', () => {
    const pcm = new OpusFrameDecoder().conceal();
    expect(pcm.length).toBe(FRAME_SAMPLES);
    expect(rms(pcm)).toBe(0);
  });

  it('rejects a bitrate outside Opus range and a frame of the wrong size with typed errors', () => {
    const enc = new OpusFrameEncoder();
    expect(() => enc.setBitrate(1_000)).toThrow(MediaError);
    expect(() => enc.encode(new Int16Array(100))).toThrow(MediaError);
    enc.setBitrate(48_000);
    expect(enc.bitrate).toBe(48_000);
  });

  it('reports a corrupt packet as a codec-failure MediaError', () => {
    const dec = new OpusFrameDecoder();
    try {
      dec.decode(Uint8Array.from([0xfb, 0x00])); // code 3 with a frame count of 0 is invalid
      expect.unreachable('decode of a corrupt packet must throw');
    } catch (e) {
      expect(e).toBeInstanceOf(MediaError);
      expect((e as MediaError).reason).toBe('codec-failure');
    }
  });
});
