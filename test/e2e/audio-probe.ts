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

/** the worklet's last `ms` of output; empty when the page plays nothing through the worklet */
export function playedSamples(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const h = window.__amphiAudio;
    return h?.snapshot ? await h.snapshot(n) : [];
  }, ms);
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
 * pairs each heard burst with the latest spoken burst before it (within 1 s): the bursts are ≥ 800 ms
 * apart, so a pair cannot straddle two bursts while mouth-to-ear stays under that
 */
export function mouthToEar(mouth: readonly Onset[], ear: readonly Onset[], maxBurstMs = 150): number[] {
  const spoken = mouth.filter((o) => o.durationMs <= maxBurstMs);
  const heard = ear.filter((o) => o.durationMs <= maxBurstMs + 100);
  const out: number[] = [];
  for (const e of heard) {
    let best: Onset | null = null;
    for (const m of spoken) if (m.at < e.at && e.at - m.at < 1000 && (!best || m.at > best.at)) best = m;
    if (best) out.push(e.at - best.at);
  }
  return out;
}
