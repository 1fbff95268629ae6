/**
 * @module opus-packet — reads an Opus packet's TOC (RFC 6716 §3.1) to learn how many 48 kHz samples
 * it carries, so containers can advance granule positions without decoding. Pure; never decodes.
 */

/** Samples per frame at 48 kHz for each of the 32 TOC configurations. */
const FRAME_SAMPLES_BY_CONFIG: readonly number[] = [
  // SILK NB, MB, WB: 10, 20, 40, 60 ms
  480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880,
  // Hybrid SWB, FB: 10, 20 ms
  480, 960, 480, 960,
  // CELT NB, WB, SWB, FB: 2.5, 5, 10, 20 ms
  120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960,
];

/** Total samples (48 kHz) in the packet, or 0 for an empty/malformed one. */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) return 0;
  const perFrame = FRAME_SAMPLES_BY_CONFIG[toc >> 3] ?? 0;
  switch (toc & 0x03) {
    case 0:
      return perFrame;
    case 1:
    case 2:
      return perFrame * 2;
    default: {
      const count = (packet[1] ?? 0) & 0x3f;
      return perFrame * count;
    }
  }
}
