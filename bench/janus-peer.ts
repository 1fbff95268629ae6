/**
 * @module bench/janus-peer — one listener of the Janus Streaming plugin as a real WebRTC peer
 * (@roamhq/wrtc): its own Janus session and handle, `watch` the mountpoint, take the offer from the
 * session's events, answer without trickle (ICE gathered first), `start`, and wait until ICE connects.
 * What it heard is read from getStats (inbound-rtp packetsReceived, packetsLost, jitter), not from
 * PCM: an RTCAudioSink per peer would cost the generator 100 callbacks a second each and make it the
 * limit long before Janus. It never decides anything about the run; it only connects and counts.
 */
import { createRequire } from 'node:module';
import { offerFor, STREAMING_PLUGIN, type JanusApi } from './janus-api.ts';
import { JanusBenchError } from './janus-error.ts';
import { SessionKeepalive, type ListenerPeer, type PeerSample } from './janus-listener-peer.ts';

type Wrtc = typeof import('@roamhq/wrtc');
// wrtc is native CommonJS: loaded through require, and only in the generator process.
const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;

const num = (o: Readonly<Record<string, unknown>>, k: string): number => {
  const v = o[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

export class JanusPeer implements ListenerPeer {
  readonly #api: JanusApi;
  readonly #keepalive: SessionKeepalive;
  readonly session: number;
  readonly #pc: RTCPeerConnection;
  #closed = false;

  private constructor(api: JanusApi, session: number, pc: RTCPeerConnection) {
    this.#api = api;
    this.session = session;
    this.#keepalive = new SessionKeepalive(api, session);
    this.#pc = pc;
  }

  /** signs in, answers the mountpoint's offer and resolves once ICE connected, or rejects by `timeoutMs` */
  static async open(api: JanusApi, mountpointId: number, timeoutMs: number): Promise<JanusPeer> {
    const deadline = performance.now() + timeoutMs;
    const session = await api.createSession();
    let pc: RTCPeerConnection | null = null;
    try {
      const handle = await api.attach(session, STREAMING_PLUGIN);
      await api.message(session, handle, { request: 'watch', id: mountpointId });
      const offer = await offerFor(api, session, handle, deadline);
      pc = new wrtc.RTCPeerConnection();
      await pc.setRemoteDescription(offer);
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc, deadline);
      const sdp = pc.localDescription?.sdp;
      if (sdp === undefined) throw new JanusBenchError('ice_failed', 'no local description after gathering');
      await api.message(session, handle, { request: 'start' }, { type: 'answer', sdp });
      await connected(pc, deadline);
      return new JanusPeer(api, session, pc);
    } catch (err) {
      pc?.close();
      // The session would time out on its own; destroying it now keeps Janus's count honest.
      await api.destroy(session).catch(() => undefined);
      throw err;
    }
  }

  get connected(): boolean {
    const s = this.#pc.iceConnectionState;
    return !this.#closed && (s === 'connected' || s === 'completed');
  }

  /** sends a keepalive when one is due; resolves false if Janus refused it (the session is gone) */
  keepaliveIfDue(now: number): Promise<boolean> {
    return this.#closed ? Promise.resolve(true) : this.#keepalive.ifDue(now);
  }

  async sample(): Promise<PeerSample> {
    const report = await this.#pc.getStats();
    let packetsReceived = 0;
    let packetsLost = 0;
    let jitter = 0;
    let at = Number.NaN;
    report.forEach((raw: unknown) => {
      if (typeof raw !== 'object' || raw === null) return;
      const s = raw as Readonly<Record<string, unknown>>;
      if (s['type'] !== 'inbound-rtp' || (s['kind'] ?? s['mediaType']) !== 'audio') return;
      packetsReceived += num(s, 'packetsReceived');
      packetsLost += num(s, 'packetsLost');
      jitter = Math.max(jitter, num(s, 'jitter'));
      at = num(s, 'timestamp');
    });
    // Before the first packet there is no inbound-rtp entry: Date.now() is the stats' clock as well.
    return { at: Number.isFinite(at) && at > 0 ? at : Date.now(), packetsReceived, packetsLost, jitter, connected: this.connected };
  }

  /** hangs up: closes the peer connection and destroys the Janus session (best effort) */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pc.close();
    await this.#api.destroy(this.session).catch(() => undefined);
  }
}

function gathered(pc: RTCPeerConnection, deadline: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new JanusBenchError('ice_timeout', 'ICE gathering did not complete in time')), Math.max(0, deadline - performance.now()));
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

function connected(pc: RTCPeerConnection, deadline: number): Promise<void> {
  const state = (): 'yes' | 'no' | 'wait' => {
    const s = pc.iceConnectionState;
    if (s === 'connected' || s === 'completed') return 'yes';
    return s === 'failed' || s === 'closed' ? 'no' : 'wait';
  };
  if (state() === 'yes') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new JanusBenchError('ice_timeout', `ICE still '${pc.iceConnectionState}' at the deadline`)), Math.max(0, deadline - performance.now()));
    pc.addEventListener('iceconnectionstatechange', () => {
      const s = state();
      if (s === 'wait') return;
      clearTimeout(timer);
      if (s === 'yes') resolve();
      else reject(new JanusBenchError('ice_failed', `ICE ${pc.iceConnectionState}`));
    });
  });
}
