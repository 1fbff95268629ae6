/**
 * @module test-hooks — window.__amphiAudio: read-only handles on what the page plays and sends, for
 * the browser tests and for diagnosing "I hear nothing" in a console. The tests measure the worklet's
 * actual output through it, and reach the sent microphone track to prove the server enforces mute.
 * Nothing in the app reads it back.
 */
import type { PlayoutReport } from './playout-messages.ts';

export interface AmphiAudioHooks {
  /** the visit's AudioContext, once made */
  context: AudioContext | null;
  /** which way the room's program plays, while a room plays one */
  path: 'worklet' | 'fallback' | null;
  /** the playout worklet's latest report (buffered, behind live, underruns, output RMS) */
  report: PlayoutReport | null;
  /** the playout worklet's node: a test may connect a probe to it to time what the page plays */
  output: AudioNode | null;
  /** the last `ms` of the worklet's output, as plain numbers */
  snapshot: ((ms: number) => Promise<number[]>) | null;
  /** the microphone as captured (what the soundcheck meter reads) */
  micStream: MediaStream | null;
  /** the track sent to the server; its `enabled` follows the member's mute */
  sendTrack: MediaStreamTrack | null;
  /** receive mid → stage member id, from the server's rtcSlot messages */
  slots: Map<string, string | null> | null;
}

declare global {
  interface Window {
    __amphiAudio?: AmphiAudioHooks;
  }
}

export function audioHooks(): AmphiAudioHooks {
  window.__amphiAudio ??= { context: null, path: null, report: null, output: null, snapshot: null, micStream: null, sendTrack: null, slots: null };
  return window.__amphiAudio;
}
