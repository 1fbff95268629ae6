/**
 * @module program-frame — the unit the mixer hands to delivery: one 20 ms Opus frame of a room's
 * program (the mix everyone hears). Same bytes for every listener. Type only; never behaviour.
 */

export interface ProgramFrame {
  /** uint32, +1 per frame, wraps at 2^32. A gap means frames were skipped after a process stall. */
  readonly seq: number;
  /** Wall clock (ms since the epoch) when the frame was mixed. */
  readonly captureTs: number;
  /** One Opus packet: 48 kHz mono, 20 ms. */
  readonly opus: Uint8Array;
}
