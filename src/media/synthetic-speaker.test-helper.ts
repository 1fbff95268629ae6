/**
 * @module synthetic-speaker (test helper) — a real WebRTC stage member made with @roamhq/wrtc: it
 * sends a sine tone (or any 48 kHz PCM given as `source`: speech, noise) from an RTCAudioSource fed 10 ms PCM frames on a drift-free schedule, offers N
 * receive slots, and records the PCM each slot receives through RTCAudioSink. Tests and benches only
 * (wrtc is a devDependency). Nothing here keeps the process alive once `close()` ran.
 */
import { createRequire } from 'node:module';
import type { Stage } from './stage.ts';

type Wrtc = typeof import('@roamhq/wrtc');
const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;
type RTCAudioData = Parameters<InstanceType<Wrtc['nonstandard']['RTCAudioSource']>['onData']>[0];

export interface SyntheticSpeakerOptions {
  readonly freq: number;
  /** 0..1 of full scale. */
  readonly amplitude: number;
  /** recvonly m-sections offered, to hear other members. */
  readonly slots?: number;
  /** when set, what the microphone sends instead of the tone: the next 480 samples (10 ms) per call */
  readonly source?: () => Int16Array;
}

export interface ReceivedChunk {
  readonly at: number;
  readonly sampleRate: number;
  readonly pcm: Int16Array;
}

export class SyntheticSpeaker {
  readonly pc: RTCPeerConnection;
  readonly #source: InstanceType<Wrtc['nonstandard']['RTCAudioSource']>;
  readonly #track: MediaStreamTrack;
  readonly #sinks: InstanceType<Wrtc['nonstandard']['RTCAudioSink']>[] = [];
  readonly #received = new Map<string, ReceivedChunk[]>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #amplitude: number;
  readonly #freq: number;
  readonly #pcmSource: (() => Int16Array) | null;
  #phase = 0;
  #closed = false;

  private constructor(options: SyntheticSpeakerOptions) {
    this.#amplitude = options.amplitude;
    this.#freq = options.freq;
    this.#pcmSource = options.source ?? null;
    this.pc = new wrtc.RTCPeerConnection();
    this.#source = new wrtc.nonstandard.RTCAudioSource();
    this.#track = this.#source.createTrack();
    this.pc.addTransceiver(this.#track, { direction: 'sendonly', streams: [new wrtc.MediaStream([this.#track])] });
    for (let i = 0; i < (options.slots ?? 0); i++) this.pc.addTransceiver('audio', { direction: 'recvonly' });
  }

  /** Joins `stage` as `id`: addMember, offer, answer, and waits until media flows. */
  static async join<Id extends string>(stage: Stage<Id>, id: Id, options: SyntheticSpeakerOptions): Promise<SyntheticSpeaker> {
    stage.addMember(id);
    return SyntheticSpeaker.connect((offer) => stage.acceptOffer(id, offer), options);
  }

  /**
   * Offers through any signaling path (e.g. a real server's room WebSocket): `negotiate` takes the
   * offer SDP (ICE gathered, no trickle) and returns the answer SDP. Waits until media flows.
   */
  static async connect(negotiate: (offerSdp: string) => Promise<string>, options: SyntheticSpeakerOptions): Promise<SyntheticSpeaker> {
    const s = new SyntheticSpeaker(options);
    s.#startFeeding();
    await s.pc.setLocalDescription(await s.pc.createOffer());
    await s.#gathered();
    const answer = await negotiate(s.pc.localDescription?.sdp ?? '');
    await s.pc.setRemoteDescription({ type: 'answer', sdp: answer });
    for (const t of s.pc.getTransceivers()) {
      if (t.direction !== 'recvonly' || !t.mid) continue;
      const mid = t.mid;
      const chunks: ReceivedChunk[] = [];
      s.#received.set(mid, chunks);
      const sink = new wrtc.nonstandard.RTCAudioSink(t.receiver.track);
      sink.ondata = (d: RTCAudioData) => {
        if (s.#closed) return;
        chunks.push({ at: performance.now(), sampleRate: d.sampleRate, pcm: downmix(d) });
      };
      s.#sinks.push(sink);
    }
    await s.#connected();
    return s;
  }

  set amplitude(a: number) {
    this.#amplitude = a;
  }

  /**
   * 48 kHz PCM received on the m-section `mid` since `since` (performance.now() ms). A receiver with
   * nothing to play yet delivers silence at other rates (16 kHz): `allRates` includes those chunks.
   */
  received(mid: string, since = 0, allRates = false): Int16Array {
    const chunks = (this.#received.get(mid) ?? []).filter((c) => c.at >= since && (allRates || c.sampleRate === 48_000));
    const out = new Int16Array(chunks.reduce((n, c) => n + c.pcm.length, 0));
    let o = 0;
    for (const c of chunks) {
      out.set(c.pcm, o);
      o += c.pcm.length;
    }
    return out;
  }

  /** the 48 kHz chunks received on `mid`, each with its arrival time (performance.now() ms) */
  chunks(mid: string): readonly ReceivedChunk[] {
    return (this.#received.get(mid) ?? []).filter((c) => c.sampleRate === 48_000);
  }

  receiveMids(): string[] {
    return [...this.#received.keys()];
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const s of this.#sinks) s.stop();
    this.#track.stop();
    this.pc.close();
  }

  #startFeeding(): void {
    const start = performance.now();
    let sent = 0;
    // Drift-free: each 10 ms callback sends however many 10 ms frames are due since start.
    this.#timer = setInterval(() => {
      const due = Math.floor((performance.now() - start) / 10);
      for (; sent < due && !this.#closed; sent++) this.#source.onData(this.#frame());
    }, 10);
    this.#timer.unref();
  }

  #frame(): RTCAudioData {
    if (this.#pcmSource !== null) return { samples: this.#pcmSource(), sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 };
    const samples = new Int16Array(480);
    const w = (2 * Math.PI * this.#freq) / 48_000;
    for (let i = 0; i < 480; i++) samples[i] = Math.round(this.#amplitude * 32767 * Math.sin(w * this.#phase++));
    return { samples, sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 };
  }

  #gathered(): Promise<void> {
    return new Promise((resolve) => {
      if (this.pc.iceGatheringState === 'complete') return resolve();
      this.pc.onicegatheringstatechange = () => {
        if (this.pc.iceGatheringState === 'complete') resolve();
      };
    });
  }

  #connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.pc.connectionState === 'connected') return (resolve(), true);
        if (this.pc.connectionState === 'failed') return (reject(new Error('synthetic speaker: connection failed')), true);
        return false;
      };
      if (check()) return;
      this.pc.onconnectionstatechange = () => void check();
    });
  }
}

function downmix(d: RTCAudioData): Int16Array {
  const ch = d.channelCount ?? 1;
  if (ch === 1) return Int16Array.from(d.samples);
  const n = d.samples.length / ch;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = d.samples[i * ch] ?? 0;
  return out;
}
