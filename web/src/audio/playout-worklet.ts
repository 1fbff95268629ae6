/**
 * @module playout-worklet — the AudioWorkletProcessor that plays the program: decoded frames come in
 * over its port into a JitterBuffer, each render quantum pulls 128 samples out, applies the volume,
 * and keeps the last 2 s of what it actually output so tests measure what the page plays. Reports its
 * state about ten times a second. Runs on the audio thread: it must never block, allocate per quantum
 * or throw from process().
 */
import { JitterBuffer } from './jitter-buffer.ts';
import { PLAYOUT_PROCESSOR, type FromPlayout, type ToPlayout } from './playout-messages.ts';

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib; these are the parts used here.
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

const HISTORY_SECONDS = 2;
const RMS_WINDOW_SECONDS = 0.1;
const REPORT_EVERY_SECONDS = 0.1;
/** per-sample step of the volume ramp: a full swing in ~20 ms, no clicks */
const RAMP = 1 / (0.02 * 48_000);

class PlayoutProcessor extends AudioWorkletProcessor {
  readonly #buffer = new JitterBuffer({ sampleRate });
  readonly #history = new Float32Array(Math.round(sampleRate * HISTORY_SECONDS));
  #write = 0;
  #volume = 1;
  #gain = 1;
  #sinceReport = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<ToPlayout>) => this.#onMessage(e.data);
  }

  #onMessage(m: ToPlayout): void {
    switch (m.type) {
      case 'frame':
        this.#buffer.push(m.seq, m.captureTimeMs, m.samples);
        return;
      case 'batch':
        this.#buffer.noteBatch(m.ms);
        return;
      case 'jumpToLive':
        this.#buffer.jumpToLive();
        return;
      case 'reset':
        this.#buffer.reset();
        return;
      case 'volume':
        this.#volume = Math.min(1, Math.max(0, m.value));
        return;
      case 'snapshot': {
        const samples = this.#recent(Math.round((m.ms / 1000) * sampleRate));
        this.#post({ type: 'snapshot', id: m.id, samples, endContextTime: currentTime }, [samples.buffer]);
        return;
      }
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    this.#buffer.pull(out);
    const h = this.#history;
    for (let i = 0; i < out.length; i++) {
      if (this.#gain !== this.#volume) this.#gain = this.#gain < this.#volume ? Math.min(this.#volume, this.#gain + RAMP) : Math.max(this.#volume, this.#gain - RAMP);
      const v = (out[i] as number) * this.#gain;
      out[i] = v;
      h[this.#write] = v;
      this.#write = (this.#write + 1) % h.length;
    }
    // mono program: copy to any further output channels (stereo destinations)
    const channels = outputs[0] ?? [];
    for (let c = 1; c < channels.length; c++) channels[c]?.set(out);
    this.#sinceReport += out.length;
    if (this.#sinceReport >= REPORT_EVERY_SECONDS * sampleRate) {
      this.#sinceReport = 0;
      this.#post({ type: 'report', report: { ...this.#buffer.stats, outputRms: this.#rms(), contextTime: currentTime } });
    }
    return true;
  }

  /** the last n output samples, oldest first */
  #recent(n: number): Float32Array {
    const h = this.#history;
    const count = Math.min(n, h.length);
    const out = new Float32Array(count);
    const start = (this.#write - count + h.length) % h.length;
    for (let i = 0; i < count; i++) out[i] = h[(start + i) % h.length] as number;
    return out;
  }

  #rms(): number {
    const h = this.#history;
    const n = Math.round(RMS_WINDOW_SECONDS * sampleRate);
    let sum = 0;
    for (let i = 1; i <= n; i++) {
      const v = h[(this.#write - i + h.length) % h.length] as number;
      sum += v * v;
    }
    return Math.sqrt(sum / n);
  }

  #post(m: FromPlayout, transfer: Transferable[] = []): void {
    this.port.postMessage(m, transfer);
  }
}

registerProcessor(PLAYOUT_PROCESSOR, PlayoutProcessor);
