/**
 * @module microphone — a stage member's microphone: getUserMedia with echo cancellation, noise
 * suppression and automatic gain on (speakers use laptops and phones without headsets), plus a level
 * from an AnalyserNode on the visit's AudioContext for the backstage soundcheck meter. The analyser is
 * a dead end (never connected to the speakers): nobody hears themselves. Never publishes anything.
 */
import { sharedAudioContext } from './audio-context.ts';

export const MIC_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
  video: false,
};

export type MicErrorReason = 'denied' | 'missing' | 'unsupported' | 'failed';

export class MicError extends Error {
  override readonly name = 'MicError';
  constructor(
    readonly reason: MicErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static from(err: unknown): MicError {
    const name = err instanceof DOMException ? err.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') return new MicError('denied', 'Amphi may not use your microphone. Allow it in the browser, then try again.', { cause: err });
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return new MicError('missing', 'No microphone was found.', { cause: err });
    return new MicError('failed', 'Your microphone could not be started.', { cause: err });
  }
}

export class Microphone {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  readonly #source: MediaStreamAudioSourceNode;
  readonly #analyser: AnalyserNode;
  readonly #buf: Float32Array<ArrayBuffer>;
  #closed = false;

  private constructor(stream: MediaStream, track: MediaStreamTrack) {
    this.stream = stream;
    this.track = track;
    const ctx = sharedAudioContext();
    this.#source = ctx.createMediaStreamSource(stream);
    this.#analyser = ctx.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#buf = new Float32Array(this.#analyser.fftSize);
    this.#source.connect(this.#analyser);
  }

  static async open(): Promise<Microphone> {
    if (!navigator.mediaDevices?.getUserMedia) throw new MicError('unsupported', 'This browser cannot use a microphone here.');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
    } catch (err) {
      throw MicError.from(err);
    }
    const track = stream.getAudioTracks()[0];
    if (!track) throw new MicError('missing', 'No microphone was found.');
    return new Microphone(stream, track);
  }

  /** the input's level now, 0..1 (RMS over the last ~20 ms, scaled so speech fills the meter) */
  level(): number {
    if (this.#closed) return 0;
    this.#analyser.getFloatTimeDomainData(this.#buf);
    let sum = 0;
    for (const v of this.#buf) sum += v * v;
    const rms = Math.sqrt(sum / this.#buf.length);
    // -60 dBFS .. 0 dBFS onto 0..1: a quiet voice shows, a loud one does not pin it
    return rms <= 0.001 ? 0 : Math.min(1, (20 * Math.log10(rms) + 60) / 60);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.disconnect();
    for (const t of this.stream.getTracks()) t.stop();
  }
}
