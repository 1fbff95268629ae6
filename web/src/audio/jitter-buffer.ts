/**
 * @module jitter-buffer — the playout buffer of the program stream, in samples: decoded 20 ms frames go
 * in by seq, 128-sample render quanta come out. It holds back a target delay (100-300 ms) before it
 * plays, grows that target after each underrun, shrinks it slowly while playback is smooth (never below
 * the length of the server's last batch, which it is told, plus a margin), and drops
 * the oldest audio when it holds far more than the target (skip to live) so a listener never drifts
 * behind. Pure and clock-free (time is counted in samples played), so it runs inside the AudioWorklet
 * and in unit tests alike; it must never allocate per render quantum nor wait for a missing frame.
 */

export interface JitterBufferOptions {
  readonly sampleRate: number;
  /** the target never goes below this (default 100 ms) */
  readonly minTargetMs?: number;
  /** the target never goes above this (default 300 ms) */
  readonly maxTargetMs?: number;
  /** the target at start (default 140 ms: batches arrive every 60 ms) */
  readonly startTargetMs?: number;
  /** added to the target after an underrun (default 40 ms) */
  readonly growMs?: number;
  /** taken off the target after each `shrinkAfterMs` of smooth playback (default 10 ms) */
  readonly shrinkMs?: number;
  readonly shrinkAfterMs?: number;
  /** holding more than target + this skips to live (default 250 ms) */
  readonly driftBoundMs?: number;
  /** the target holds at least the audio of one batch plus this (default 60 ms) */
  readonly batchMarginMs?: number;
}

export type PlayoutState = 'idle' | 'filling' | 'playing';

export interface JitterStats {
  readonly state: PlayoutState;
  readonly bufferedMs: number;
  readonly targetMs: number;
  readonly underruns: number;
  /** times audio was dropped to get back to live (drift or "Jump to live") */
  readonly skips: number;
  readonly droppedMs: number;
  /** frames that came after their time had passed */
  readonly lateFrames: number;
  /** server capture time of the sample about to play, or null with nothing buffered */
  readonly headCaptureMs: number | null;
}

interface Chunk {
  readonly seq: number;
  readonly captureTimeMs: number;
  readonly samples: Float32Array;
  /** samples of this chunk already played */
  offset: number;
}

export class JitterBuffer {
  readonly #sr: number;
  readonly #min: number;
  readonly #max: number;
  readonly #grow: number;
  readonly #shrink: number;
  readonly #shrinkAfter: number;
  readonly #bound: number;
  readonly #margin: number;
  #target: number;
  /** the target's lower bound now: minTarget, or the last batch plus the margin if that is more */
  #floor: number;
  #queue: Chunk[] = [];
  #buffered = 0;
  #state: PlayoutState = 'idle';
  /** seq of the newest chunk that started playing or was dropped; older ones are late */
  #playedSeq: number | null = null;
  #smoothSamples = 0;
  #underruns = 0;
  #skips = 0;
  #dropped = 0;
  #late = 0;

  constructor(o: JitterBufferOptions) {
    this.#sr = o.sampleRate;
    const ms = (v: number) => Math.round((v * o.sampleRate) / 1000);
    this.#min = ms(o.minTargetMs ?? 100);
    this.#max = ms(o.maxTargetMs ?? 300);
    this.#target = Math.min(this.#max, Math.max(this.#min, ms(o.startTargetMs ?? 140)));
    this.#grow = ms(o.growMs ?? 40);
    this.#shrink = ms(o.shrinkMs ?? 10);
    this.#shrinkAfter = ms(o.shrinkAfterMs ?? 10_000);
    this.#bound = ms(o.driftBoundMs ?? 250);
    this.#margin = ms(o.batchMarginMs ?? 60);
    this.#floor = this.#min;
  }

  get stats(): JitterStats {
    const head = this.#queue[0];
    return {
      state: this.#state,
      bufferedMs: this.#toMs(this.#buffered),
      targetMs: this.#toMs(this.#target),
      underruns: this.#underruns,
      skips: this.#skips,
      droppedMs: this.#toMs(this.#dropped),
      lateFrames: this.#late,
      headCaptureMs: head ? head.captureTimeMs + (head.offset * 1000) / this.#sr : null,
    };
  }

  /** adds one decoded frame; frames may come out of order, one older than what already played is dropped */
  push(seq: number, captureTimeMs: number, samples: Float32Array): void {
    if (this.#playedSeq !== null && seq <= this.#playedSeq) {
      this.#late++;
      return;
    }
    let i = this.#queue.length;
    while (i > 0 && (this.#queue[i - 1] as Chunk).seq > seq) i--;
    if (i > 0 && (this.#queue[i - 1] as Chunk).seq === seq) return;
    this.#queue.splice(i, 0, { seq, captureTimeMs, samples, offset: 0 });
    this.#buffered += samples.length;
    if (this.#state === 'idle') this.#state = 'filling';
    if (this.#buffered > this.#target + this.#bound) this.#dropTo(this.#target);
  }

  /**
   * one server message carried `ms` of audio: batches come that far apart, so a buffer holding less
   * runs dry before each one (a node under load sends up to 160 ms at a time). The target rises to it
   * plus the margin at once and shrinks back slowly when batches get shorter. A catch-up after a
   * reconnect carries seconds and says nothing about the gaps: over maxTarget, it is ignored.
   */
  noteBatch(ms: number): void {
    const span = Math.round((ms * this.#sr) / 1000);
    if (!(span > 0) || span + this.#margin > this.#max) return;
    this.#floor = Math.max(this.#min, span + this.#margin);
    if (this.#target < this.#floor) this.#target = this.#floor;
  }

  /** drops everything but the newest `target` worth of audio: the listener's "Jump to live" */
  jumpToLive(): void {
    if (this.#buffered > this.#target) this.#dropTo(this.#target);
  }

  /** forgets all audio and the place in the stream (a new room, or a reconnect that starts at live) */
  reset(): void {
    this.#queue = [];
    this.#buffered = 0;
    this.#playedSeq = null;
    this.#state = 'idle';
  }

  /** fills `out` with the next samples; silence while filling; returns how many samples were real audio */
  pull(out: Float32Array): number {
    if (this.#state === 'filling' && this.#buffered >= this.#target) this.#state = 'playing';
    if (this.#state !== 'playing') {
      out.fill(0);
      return 0;
    }
    let n = 0;
    while (n < out.length) {
      const c = this.#queue[0];
      if (!c) break;
      if (c.offset === 0) this.#playedSeq = c.seq;
      const take = Math.min(out.length - n, c.samples.length - c.offset);
      out.set(c.samples.subarray(c.offset, c.offset + take), n);
      c.offset += take;
      n += take;
      this.#buffered -= take;
      if (c.offset === c.samples.length) this.#queue.shift();
    }
    if (n < out.length) {
      out.fill(0, n);
      this.#underrun();
    } else {
      this.#smooth(n);
    }
    return n;
  }

  #underrun(): void {
    this.#underruns++;
    this.#smoothSamples = 0;
    this.#target = Math.min(this.#max, this.#target + this.#grow);
    // wait until the (now larger) target is buffered again rather than play each frame as it lands
    this.#state = 'filling';
  }

  #smooth(n: number): void {
    this.#smoothSamples += n;
    if (this.#smoothSamples < this.#shrinkAfter) return;
    this.#smoothSamples = 0;
    this.#target = Math.max(this.#floor, this.#target - this.#shrink);
  }

  #dropTo(keep: number): void {
    let drop = this.#buffered - keep;
    this.#skips++;
    while (drop > 0) {
      const c = this.#queue[0];
      if (!c) break;
      const left = c.samples.length - c.offset;
      const take = Math.min(left, drop);
      c.offset += take;
      drop -= take;
      this.#buffered -= take;
      this.#dropped += take;
      this.#playedSeq = c.seq;
      if (c.offset === c.samples.length) this.#queue.shift();
    }
  }

  #toMs(samples: number): number {
    return (samples * 1000) / this.#sr;
  }
}
