/**
 * @module stage-link — a stage member's WebRTC connection to the server, negotiated on the room socket
 * (docs/protocol.md, stage protocol): one sendonly transceiver with the microphone and 12 recvonly ones
 * to hear the rest of the stage, each played by its own <audio> element. The sent track is a clone of
 * the microphone whose `enabled` follows the member's mute, so the soundcheck meter still reads the
 * real input while muted. The server enforces mute anyway; this only saves the bandwidth. A failed
 * connection offers again. Never decides who is on the stage or who hears whom.
 */
import type { ClientMessage, ServerMessage } from '../../../src/protocol/api-views.ts';
import type { Microphone } from './microphone.ts';

/** receive slots offered: the stage holds 13 people, nobody hears themselves */
export const RECEIVE_SLOTS = 12;
const GATHER_TIMEOUT_MS = 2000;

export type StageLinkState = 'connecting' | 'connected' | 'failed' | 'closed';

export interface StageLinkOptions {
  /** sends on the room socket; false when it is not open (the link offers again on reopen) */
  readonly send: (msg: ClientMessage) => boolean;
  readonly mic: Microphone;
  readonly muted: boolean;
  readonly onState?: (s: StageLinkState) => void;
}

export class StageLink {
  /** the track actually sent (a clone of the microphone) */
  readonly sendTrack: MediaStreamTrack;
  /** receive mid → the stage member it carries (from rtcSlot) */
  readonly slots = new Map<string, string | null>();
  readonly #opts: StageLinkOptions;
  #pc: RTCPeerConnection | null = null;
  #players = new Map<string, HTMLAudioElement>();
  #ref: string | null = null;
  #offers = 0;
  #volume = 1;
  #closed = false;
  #state: StageLinkState = 'connecting';

  constructor(opts: StageLinkOptions) {
    this.#opts = opts;
    this.sendTrack = opts.mic.track.clone();
    this.sendTrack.enabled = !opts.muted;
  }

  get state(): StageLinkState {
    return this.#state;
  }

  /** makes a new connection and offers it (also after a room-socket reconnect: the server replaces the old one) */
  async offer(): Promise<void> {
    if (this.#closed) return;
    this.#dropPeer();
    this.#setState('connecting');
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.#pc = pc;
    pc.addTransceiver(this.sendTrack, { direction: 'sendonly', streams: [] });
    for (let i = 0; i < RECEIVE_SLOTS; i++) pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.onconnectionstatechange = () => {
      if (this.#pc !== pc) return;
      if (pc.connectionState === 'connected') this.#setState('connected');
      if (pc.connectionState === 'failed') {
        this.#setState('failed');
        void this.offer();
      }
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await gathered(pc);
    if (this.#pc !== pc || this.#closed) return;
    const ref = `rtc${++this.#offers}`;
    this.#ref = ref;
    const sdp = pc.localDescription?.sdp ?? offer.sdp ?? '';
    if (!this.#opts.send({ type: 'rtcOffer', ref, sdp })) this.#ref = null;
  }

  /** the room socket's messages: answers, server candidates, slot owners, refusals of our offer */
  handle(msg: ServerMessage): void {
    const pc = this.#pc;
    if (this.#closed || !pc) return;
    switch (msg.type) {
      case 'rtcAnswer':
        if (msg.ref !== this.#ref) return;
        pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp }).then(
          () => this.#attachPlayers(pc),
          (err: unknown) => console.error('the server answer could not be applied', err),
        );
        return;
      case 'rtcCandidate':
        if (pc.remoteDescription === null) return;
        pc.addIceCandidate(msg.candidate ?? undefined).catch((err: unknown) => console.warn('ICE candidate refused', err));
        return;
      case 'rtcSlot':
        this.slots.set(msg.mid, msg.userId);
        return;
      case 'error':
        if (msg.ref !== null && msg.ref === this.#ref) {
          console.warn(`the server refused the microphone: ${msg.code}`);
          this.#setState('failed');
        }
        return;
      default:
        return;
    }
  }

  /** whether `ref` is this link's offer (an answer or refusal to it) */
  owns(ref: string | null): boolean {
    return ref !== null && ref === this.#ref;
  }

  setMuted(muted: boolean): void {
    this.sendTrack.enabled = !muted;
  }

  setVolume(v: number): void {
    this.#volume = v;
    for (const el of this.#players.values()) el.volume = v;
  }

  /** stops publishing and hearing the stage; idempotent. The microphone itself is the caller's. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pc) this.#opts.send({ type: 'rtcLeave' });
    this.#dropPeer();
    this.sendTrack.stop();
    this.#setState('closed');
  }

  #attachPlayers(pc: RTCPeerConnection): void {
    if (this.#pc !== pc) return;
    for (const t of pc.getTransceivers()) {
      if (t.direction !== 'recvonly' || t.mid === null || this.#players.has(t.mid)) continue;
      const el = new Audio();
      el.autoplay = true;
      el.volume = this.#volume;
      el.srcObject = new MediaStream([t.receiver.track]);
      el.play().catch((err: unknown) => console.warn('a stage voice could not start playing', err));
      this.#players.set(t.mid, el);
    }
  }

  #dropPeer(): void {
    for (const el of this.#players.values()) {
      el.pause();
      el.srcObject = null;
    }
    this.#players.clear();
    this.slots.clear();
    const pc = this.#pc;
    this.#pc = null;
    this.#ref = null;
    pc?.close();
  }

  #setState(s: StageLinkState): void {
    if (s === this.#state) return;
    this.#state = s;
    this.#opts.onState?.(s);
  }
}

/** resolves once ICE gathering is complete (or after a short wait: the server also takes trickle) */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, GATHER_TIMEOUT_MS);
    pc.addEventListener('icegatheringstatechange', check);
  });
}
