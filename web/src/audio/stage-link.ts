/**
 * @module stage-link — a stage member's WebRTC connection to the server, negotiated on the room socket
 * (docs/protocol.md, stage protocol): one sendonly transceiver with the microphone and 12 recvonly ones
 * to hear the rest of the stage, each played by its own <audio> element. The sent track is a clone of
 * the microphone whose `enabled` follows the member's mute, so the soundcheck meter still reads the
 * real input while muted. The server enforces mute anyway; this only saves the bandwidth.
 * Before each offer it asks the server for the stage's ICE servers (TURN with a fresh credential), so
 * a network that blocks UDP still reaches the stage through the relay. It never leaves the member
 * guessing: not connected 10 s after an offer = `unreachable` (and it keeps trying); a link that goes
 * `disconnected` for 2 s, fails, or whose device changes network (online / connection change) is
 * replaced by a new peer offered at once (an ICE restart on a fresh connection: the server keeps the
 * member's mute, and the sent track keeps its `enabled`), shown as `reconnecting` meanwhile. Every 2 s
 * it reads getStats into a NetworkReading. Never decides who is on the stage or who hears whom.
 */
import type { ClientMessage, ServerMessage } from '../../../src/protocol/api-views.ts';
import type { IceServerView } from '../../../src/protocol/stage-network.ts';
import type { Microphone } from './microphone.ts';
import { readNetwork, type LossCounters, type NetworkReading } from './network-stats.ts';

/** receive slots offered: the stage holds 13 people, nobody hears themselves */
export const RECEIVE_SLOTS = 12;
const GATHER_TIMEOUT_MS = 2000;
/** how long an offer may take to connect before the member is told it cannot */
export const UNREACHABLE_AFTER_MS = 10_000;
/** a `disconnected` link this long is replaced rather than waited for (browsers call it failed only after ~30 s) */
const DISCONNECTED_GRACE_MS = 2000;
/** how long to wait for the ICE servers before offering without them */
const CONFIG_TIMEOUT_MS = 3000;
const STATS_EVERY_MS = 2000;

export type StageLinkState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'closed';

export interface StageLinkOptions {
  /** sends on the room socket; false when it is not open (the link offers again on reopen) */
  readonly send: (msg: ClientMessage) => boolean;
  readonly mic: Microphone;
  readonly muted: boolean;
  readonly onState?: (s: StageLinkState) => void;
  /** every 2 s while a peer exists: the link as getStats tells it */
  readonly onNetwork?: (r: NetworkReading) => void;
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
  /** the link was up once: losing it now is `reconnecting`, not `connecting` */
  #wasConnected = false;
  /** counts offers begun, so one that waited for its ICE servers knows whether a newer one superseded it */
  #attempt = 0;
  #unreachableTimer: ReturnType<typeof setTimeout> | null = null;
  #disconnectedTimer: ReturnType<typeof setTimeout> | null = null;
  #statsTimer: ReturnType<typeof setInterval> | null = null;
  #lossCounters: LossCounters | null = null;
  #configWait: { readonly ref: string; readonly resolve: (servers: readonly IceServerView[]) => void } | null = null;
  readonly #onNetworkChange = (): void => {
    // a new network (Wi-Fi to cellular, a VPN): the old candidate pair is dead even if ICE has not noticed yet
    if (!this.#closed && this.#pc !== null) void this.offer();
  };

  constructor(opts: StageLinkOptions) {
    this.#opts = opts;
    this.sendTrack = opts.mic.track.clone();
    this.sendTrack.enabled = !opts.muted;
    window.addEventListener('online', this.#onNetworkChange);
    networkInformation()?.addEventListener('change', this.#onNetworkChange);
  }

  get state(): StageLinkState {
    return this.#state;
  }

  /** makes a new connection and offers it (also after a room-socket reconnect: the server replaces the old one) */
  async offer(): Promise<void> {
    if (this.#closed) return;
    this.#dropPeer();
    // an unreachable member stays told so while it keeps trying; the countdown runs from the first try
    if (this.#state !== 'unreachable') this.#setState(this.#wasConnected ? 'reconnecting' : 'connecting');
    this.#unreachableTimer ??= setTimeout(() => {
      this.#unreachableTimer = null;
      if (!this.#closed && this.#state !== 'connected') this.#setState('unreachable');
    }, UNREACHABLE_AFTER_MS);
    const attempt = ++this.#attempt;
    const iceServers = await this.#iceServers();
    // a newer offer (or close) came while the ICE servers did: this one is stale
    if (attempt !== this.#attempt || this.#closed) return;
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceServers: iceServers.map((s) => ({ ...s, urls: [...s.urls] })) });
    this.#pc = pc;
    pc.addTransceiver(this.sendTrack, { direction: 'sendonly', streams: [] });
    for (let i = 0; i < RECEIVE_SLOTS; i++) pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.onconnectionstatechange = () => this.#onConnectionState(pc);
    this.#lossCounters = null;
    this.#statsTimer = setInterval(() => void this.#readStats(pc), STATS_EVERY_MS);
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
    if ((msg.type === 'rtcConfig' || msg.type === 'error') && this.#configWait !== null && msg.ref === this.#configWait.ref) {
      // refused (not on the stage yet, say): offer without ICE servers; the offer itself will say why
      this.#configWait.resolve(msg.type === 'rtcConfig' ? msg.iceServers : []);
      this.#configWait = null;
      return;
    }
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
        if (msg.ref !== null && msg.ref === this.#ref) console.warn(`the server refused the microphone: ${msg.code}`);
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
    if (this.#unreachableTimer !== null) clearTimeout(this.#unreachableTimer);
    this.#configWait?.resolve([]);
    this.#configWait = null;
    window.removeEventListener('online', this.#onNetworkChange);
    networkInformation()?.removeEventListener('change', this.#onNetworkChange);
    this.sendTrack.stop();
    this.#setState('closed');
  }

  #onConnectionState(pc: RTCPeerConnection): void {
    if (this.#pc !== pc) return;
    const s = pc.connectionState;
    if (s === 'connected') {
      this.#clearDisconnected();
      if (this.#unreachableTimer !== null) clearTimeout(this.#unreachableTimer);
      this.#unreachableTimer = null;
      this.#wasConnected = true;
      this.#setState('connected');
      void this.#readStats(pc);
    } else if (s === 'disconnected') {
      if (this.#state === 'connected') this.#setState('reconnecting');
      this.#disconnectedTimer ??= setTimeout(() => {
        this.#disconnectedTimer = null;
        if (this.#pc === pc && pc.connectionState !== 'connected') void this.offer();
      }, DISCONNECTED_GRACE_MS);
    } else if (s === 'failed') {
      void this.offer();
    }
  }

  /** the stage's ICE servers from the server (TURN credentials of this member's own), or none after a short wait */
  #iceServers(): Promise<readonly IceServerView[]> {
    this.#configWait?.resolve([]);
    const ref = `cfg${++this.#offers}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.#configWait?.ref === ref) this.#configWait = null;
        resolve([]);
      }, CONFIG_TIMEOUT_MS);
      this.#configWait = {
        ref,
        resolve: (servers) => {
          clearTimeout(timer);
          resolve(servers);
        },
      };
      if (!this.#opts.send({ type: 'rtcConfig', ref })) this.#configWait.resolve([]);
    });
  }

  async #readStats(pc: RTCPeerConnection): Promise<void> {
    if (this.#pc !== pc || this.#opts.onNetwork === undefined) return;
    try {
      const report = await pc.getStats();
      if (this.#pc !== pc) return;
      const stats: Array<Record<string, unknown> & { type: string; id: string }> = [];
      report.forEach((s: Record<string, unknown> & { type: string; id: string }) => stats.push(s));
      const { reading, counters } = readNetwork(stats, this.#lossCounters);
      this.#lossCounters = counters;
      this.#opts.onNetwork(reading);
    } catch (err) {
      console.warn('could not read the connection statistics', err);
    }
  }

  #clearDisconnected(): void {
    if (this.#disconnectedTimer !== null) clearTimeout(this.#disconnectedTimer);
    this.#disconnectedTimer = null;
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
    this.#clearDisconnected();
    if (this.#statsTimer !== null) clearInterval(this.#statsTimer);
    this.#statsTimer = null;
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

/** navigator.connection where the browser has it (Chromium): its `change` event fires when the network changes */
function networkInformation(): EventTarget | null {
  const c: unknown = Reflect.get(navigator, 'connection');
  return c instanceof EventTarget ? c : null;
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
