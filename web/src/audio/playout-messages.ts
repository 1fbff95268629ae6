/**
 * @module playout-messages — what the page and the playout AudioWorklet say to each other over its
 * MessagePort. Types only, shared by both sides, so neither can send a shape the other does not read.
 */
import type { JitterStats } from './jitter-buffer.ts';

export const PLAYOUT_PROCESSOR = 'amphi-playout';

export type ToPlayout =
  /** one decoded 20 ms frame of the program (48 kHz mono); the buffer is transferred */
  | { readonly type: 'frame'; readonly seq: number; readonly captureTimeMs: number; readonly samples: Float32Array }
  /** the server's last message brought `ms` of new audio: the gap until the next one may be as long */
  | { readonly type: 'batch'; readonly ms: number }
  | { readonly type: 'jumpToLive' }
  /** forget all audio and the place in the stream */
  | { readonly type: 'reset' }
  /** 0..1, applied inside the worklet so what it reports is what is heard */
  | { readonly type: 'volume'; readonly value: number }
  /** asks for the last `ms` of output (for tests and diagnostics) */
  | { readonly type: 'snapshot'; readonly id: number; readonly ms: number };

export interface PlayoutReport extends JitterStats {
  /** RMS of the output over the last 100 ms, after volume */
  readonly outputRms: number;
  /** the AudioContext time the report was made at, seconds */
  readonly contextTime: number;
}

export type FromPlayout =
  | { readonly type: 'report'; readonly report: PlayoutReport }
  | { readonly type: 'snapshot'; readonly id: number; readonly samples: Float32Array; readonly endContextTime: number };
