/**
 * @module stage-peer — the server end of one stage member's WebRTC connection (werift). It answers the
 * member's offer, hands every Opus RTP packet the member sends to one callback, and sends other
 * members' RTP back on "slots": the audio m-sections the member offered as `recvonly` (a client that
 * wants to hear up to 12 others offers 12 of them; no renegotiation is needed when the stage changes).
 * It must never decide who hears whom or whether a packet may pass: that is the Stage's job.
 */
import { RTCPeerConnection, RtpHeader, RtpPacket, type MediaStreamTrack, type RTCRtpTransceiver } from 'werift';
import { MediaError } from './errors.ts';
import { LOOPBACK_PEER_CONFIG, toWeriftConfig, type StagePeerConfig } from './peer-config.ts';

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface InboundRtp {
  readonly ssrc: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
}

export interface OutboundRtp {
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
}

export interface SlotInfo {
  readonly index: number;
  /** The m-section's mid, so the client can tell which of its receivers a slot is. */
  readonly mid: string;
}

export interface IceCandidateInit {
  readonly candidate: string;
  readonly sdpMid?: string | null;
  readonly sdpMLineIndex?: number | null;
}

export interface StagePeerHandlers {
  /** Hot path: called for every RTP packet the member sends. */
  readonly onRtp: (packet: InboundRtp) => void;
  readonly onState?: (state: PeerState) => void;
  /** Trickle ICE towards the client; `null` marks the end of candidates. */
  readonly onIceCandidate?: (candidate: IceCandidateInit | null) => void;
  readonly onError?: (err: unknown) => void;
}

export interface AcceptOfferOptions {
  /** Wait for ICE gathering so the answer carries every candidate (default). false = trickle. */
  readonly waitForIceGathering?: boolean;
}

interface Slot {
  readonly info: SlotInfo;
  readonly transceiver: RTCRtpTransceiver;
}

export class StagePeer {
  readonly #pc: RTCPeerConnection;
  readonly #config: StagePeerConfig;
  readonly #handlers: StagePeerHandlers;
  #slots: Slot[] = [];
  #state: PeerState = 'new';
  #offered = false;
  #closed = false;

  constructor(handlers: StagePeerHandlers, config: StagePeerConfig = LOOPBACK_PEER_CONFIG) {
    this.#config = config;
    this.#handlers = handlers;
    this.#pc = new RTCPeerConnection(toWeriftConfig(config));
    this.#pc.onTrack.subscribe((track) => this.#receive(track));
    this.#pc.connectionStateChange.subscribe((s) => this.#setState(s));
    this.#pc.onIceCandidate.subscribe((c) => {
      if (this.#closed || !this.#handlers.onIceCandidate) return;
      this.#handlers.onIceCandidate(c ? { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } : null);
    });
  }

  get state(): PeerState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Receive slots offered by the member, known once `acceptOffer` resolved. */
  get slots(): readonly SlotInfo[] {
    return this.#slots.map((s) => s.info);
  }

  /** Answers the member's offer. One offer per peer: to change the m-sections, rejoin the stage. */
  async acceptOffer(sdp: string, options: AcceptOfferOptions = {}): Promise<string> {
    if (this.#closed) throw MediaError.closed('stage peer');
    if (this.#offered) throw MediaError.badOffer('this peer already has an offer; renegotiation is not supported');
    this.#offered = true;
    const range = this.#config.icePortRange;
    try {
      await this.#pc.setRemoteDescription({ type: 'offer', sdp });
    } catch (e) {
      throw MediaError.badOffer(e instanceof Error ? e.message : 'unparseable SDP', e);
    }
    if (!this.#pc.getTransceivers().some((t) => t.kind === 'audio')) {
      // werift accepts SDP without media sections (even non-SDP text) and would then wait forever for ICE.
      throw MediaError.badOffer('no audio m-section');
    }
    const slots: Slot[] = [];
    for (const t of this.#pc.getTransceivers()) {
      // offerDirection is the offer reversed: 'sendonly' here means the member only wants to receive.
      if (t.kind === 'audio' && t.offerDirection === 'sendonly' && t.mid !== null) {
        t.setDirection('sendonly');
        slots.push({ info: { index: slots.length, mid: t.mid }, transceiver: t });
      }
    }
    this.#slots = slots;
    const answer = await this.#pc.createAnswer();
    await this.#pc.setLocalDescription(answer);
    if (options.waitForIceGathering ?? true) await this.#gathered();
    if (this.#closed) throw MediaError.closed('stage peer');
    const local = this.#pc.localDescription;
    if (!local) throw MediaError.badOffer('no local description after answering');
    // werift answers even when it could bind no socket (it logs "port not found"): say why instead of a silent failure
    if (range !== undefined && (options.waitForIceGathering ?? true) && !/^a=candidate:/m.test(local.sdp)) throw MediaError.noPort(range);
    return local.sdp;
  }

  /** A trickled candidate from the member; `null` = end of candidates. */
  async addIceCandidate(candidate: IceCandidateInit | null): Promise<void> {
    if (this.#closed) throw MediaError.closed('stage peer');
    if (candidate === null) return this.#pc.addIceCandidate(null);
    return this.#pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null });
  }

  /** Sends one packet on a slot; dropped silently while not connected (nothing to deliver to yet). */
  sendToSlot(index: number, p: OutboundRtp): void {
    const slot = this.#slots[index];
    if (!slot || this.#closed) return;
    // werift's sender sets the SSRC and the negotiated payload type itself.
    const header = new RtpHeader({ sequenceNumber: p.sequenceNumber, timestamp: p.timestamp, marker: p.marker });
    const payload = Buffer.isBuffer(p.payload) ? p.payload : Buffer.from(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength);
    slot.transceiver.sender.sendRtp(new RtpPacket(header, payload)).catch((e: unknown) => this.#report(e));
  }

  /** Idempotent; from this call on no packet of this member is delivered. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#setState('closed');
    this.#pc.close().catch((e: unknown) => this.#report(e));
  }

  #receive(track: MediaStreamTrack): void {
    if (track.kind !== 'audio') return;
    track.onReceiveRtp.subscribe((rtp) => {
      if (this.#closed) return;
      const h = rtp.header;
      this.#handlers.onRtp({ ssrc: h.ssrc, sequenceNumber: h.sequenceNumber, timestamp: h.timestamp, marker: h.marker, payload: rtp.payload });
    });
  }

  #setState(s: PeerState): void {
    if (this.#state === s || this.#state === 'closed') return;
    this.#state = s;
    this.#handlers.onState?.(s);
  }

  #gathered(): Promise<void> {
    const timeoutMs = this.#config.iceGatheringTimeoutMs ?? 5_000;
    if (this.#pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.unSubscribe();
        reject(MediaError.iceTimeout(timeoutMs));
      }, timeoutMs);
      const sub = this.#pc.iceGatheringStateChange.subscribe((s) => {
        if (s !== 'complete') return;
        clearTimeout(timer);
        sub.unSubscribe();
        resolve();
      });
    });
  }

  #report(err: unknown): void {
    if (this.#handlers.onError) this.#handlers.onError(err);
    else process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'AmphiStagePeerWarning');
  }
}
