/**
 * @module test/e2e/audio-probe — reads a page's audio from inside it: the playout worklet's actual
 * output (window.__amphiAudio.snapshot), and an onset probe, an AudioWorklet the test adds to the page's
 * own AudioContext, which stamps each sound that starts after ≥ 250 ms without one with the wall-clock
 * time it passed that point of the audio graph. On the host it listens to the microphone as captured;
 * on a listener to the playout worklet's output. A sound is any sample at or above 0.05; it ends after
 * 30 ms without one. Both stamps map context time to wall time through
 * getOutputTimestamp(), on the same machine clock.
 */
import type { Page } from 'playwright-core';
import { pairOnsets } from '../support/onset-pairing.ts';

/**
 * the worklet's last `ms` of output (at most its 2 s of history); throws when the page plays nothing
 * through the worklet, so no player never reads as a silent one. A player with nothing to play outputs
 * zeros too: whether the page was fed is for watchPlayout (audio-helpers) to tell.
 */
export async function playedSamples(page: Page, ms: number): Promise<number[]> {
  const samples = await page.evaluate(async (n) => {
    const h = window.__amphiAudio;
    return h?.snapshot ? await h.snapshot(n) : null;
  }, ms);
  if (samples === null || samples.length === 0) throw new Error(`the page plays nothing through the worklet (${samples === null ? 'no player' : 'an empty snapshot'}), so it cannot be heard as loud or silent`);
  return samples;
}

export interface Onset {
  /** wall-clock ms (performance.timeOrigin + performance time) */
  readonly at: number;
  /** how long the sound lasted, ms */
  readonly durationMs: number;
}

const PROBE_SOURCE = `
class OnsetProbe extends AudioWorkletProcessor {
  constructor() { super(); this.active = false; this.start = 0; this.lastLoud = -1e9; }
  process(inputs) {
    const x = inputs[0] && inputs[0][0];
    if (!x) return true;
    for (let i = 0; i < x.length; i++) {
      const t = currentTime + i / sampleRate;
      if (Math.abs(x[i]) >= 0.05) {
        if (!this.active && t - this.lastLoud >= 0.25) { this.active = true; this.start = t; }
        this.lastLoud = t;
      } else if (this.active && t - this.lastLoud >= 0.03) {
        this.active = false;
        this.port.postMessage({ t: this.start, dur: this.lastLoud - this.start });
      }
    }
    return true;
  }
}
registerProcessor('onset-probe', OnsetProbe);
`;

/**
 * starts an onset probe on `source`: 'mic' (the captured microphone) or 'output' (the playout worklet).
 * `lateBy` is subtracted from each stamp: for the microphone, the graph→speaker latency that
 * getOutputTimestamp adds, so the stamp is when the sample entered the graph.
 */
export async function startOnsetProbe(page: Page, source: 'mic' | 'output'): Promise<void> {
  await page.evaluate(
    async ({ src, code }) => {
      const h = window.__amphiAudio;
      const ctx = h?.context;
      if (!h || !ctx) throw new Error('the page has no AudioContext');
      const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
      await ctx.audioWorklet.addModule(url);
      const probe = new AudioWorkletNode(ctx, 'onset-probe', { numberOfOutputs: 1, outputChannelCount: [1] });
      const w = window as unknown as { __onsets: { at: number; durationMs: number }[] };
      w.__onsets = [];
      const graphDelayMs = src === 'mic' ? (ctx.baseLatency + (ctx.outputLatency || 0)) * 1000 : 0;
      probe.port.onmessage = (e: MessageEvent<{ t: number; dur: number }>) => {
        const ts = ctx.getOutputTimestamp();
        const mapped = ts.performanceTime !== undefined && ts.performanceTime > 0 && ts.contextTime !== undefined;
        const perf = mapped ? (ts.performanceTime as number) + (e.data.t - (ts.contextTime as number)) * 1000 - graphDelayMs : performance.now();
        w.__onsets.push({ at: performance.timeOrigin + perf, durationMs: e.data.dur * 1000 });
      };
      let input: AudioNode;
      if (src === 'mic') {
        if (!h.micStream) throw new Error('the page has no microphone');
        input = ctx.createMediaStreamSource(h.micStream);
      } else {
        if (!h.output) throw new Error('the page plays nothing through the worklet');
        input = h.output;
      }
      input.connect(probe);
      // the probe writes nothing; being pulled by the destination keeps it running
      probe.connect(ctx.destination);
    },
    { src: source, code: PROBE_SOURCE },
  );
}

export function onsets(page: Page): Promise<Onset[]> {
  return page.evaluate(() => (window as unknown as { __onsets?: { at: number; durationMs: number }[] }).__onsets ?? []);
}

/**
 * mouth-to-ear of each noise burst the listener played: onsets that last no longer than a burst (speech
 * is filtered out), paired by the irregular gaps of the host's file (onset-pairing), which throws
 * rather than pair a burst with the wrong one when the delay is beyond `windowMs`
 */
export function mouthToEar(mouth: readonly Onset[], ear: readonly Onset[], windowMs = 2000, maxBurstMs = 150): number[] {
  const spoken = mouth.filter((o) => o.durationMs <= maxBurstMs).map((o) => o.at);
  const heard = ear.filter((o) => o.durationMs <= maxBurstMs + 100).map((o) => o.at);
  // 25 ms: half the smallest difference between two gaps of the host's file, far above a render quantum
  return pairOnsets(spoken, heard, { windowMs, toleranceMs: 25 }).delays;
}
