/**
 * @module bench/janus-light-peer — one Janus Streaming listener at the cost of a UDP socket: the same
 * HTTP signalling as the wrtc peer (session, attach, `watch`, offer, answer, `start`), then real ICE
 * (answering Janus's connectivity checks with MESSAGE-INTEGRITY and FINGERPRINT, bench/janus-stun.ts)
 * and a real DTLS handshake (werift's DTLS server, Janus's certificate checked against the offer's
 * fingerprint), so Janus does for it all it does for a browser. After that every packet is counted from
 * its clear RTP header (bench/janus-rtp-count.ts) without SRTP decryption: Janus's work per packet is
 * the same, the generator's drops to one datagram callback. It never sends media or RTCP and never
 * claims a packet it did not receive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  CipherContext,
  DtlsServer,
  HashAlgorithm,
  NamedCurveAlgorithm,
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  SignatureAlgorithm,
  type SignatureHash,
} from 'werift';
import { offerFor, STREAMING_PLUGIN, type JanusApi } from './janus-api.ts';
import { JanusBenchError } from './janus-error.ts';
import { SessionKeepalive, type ListenerPeer, type PeerSample } from './janus-listener-peer.ts';
import { isRtpOrRtcp, rtpHeader, RtpReceiveCounter } from './janus-rtp-count.ts';
import { answerSdp, readOffer, sdpFingerprint, type OfferFacts } from './janus-sdp.ts';
import { bindingSuccess, checkBindingRequest, looksLikeStun, parseStun, StunType } from './janus-stun.ts';

const OPUS_CLOCK = 48_000;
/** no datagram from Janus for this long (50 packets a second are due) and the listener counts as cut off */
const SILENT_MS = 5000;

export interface LightCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly signatureHash: SignatureHash;
  /** sha-256 of the DER certificate as SDP writes it */
  readonly fingerprint: string;
}

const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

/** one ECDSA P-256 certificate for every light peer of the process (a browser makes one per connection; Janus cannot tell) */
export async function createLightCertificate(): Promise<LightCertificate> {
  const c = await CipherContext.createSelfSignedCertificateWithKey(
    { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
    NamedCurveAlgorithm.secp256r1_23,
  );
  return {
    certPem: c.certPem,
    keyPem: c.keyPem,
    signatureHash: c.signatureHash,
    fingerprint: sdpFingerprint(createHash('sha256').update(derOf(c.certPem)).digest()),
  };
}

/** RFC 8445 §5.3: ufrag ≥ 4 and password ≥ 22 characters from the ice-char set (base64 letters) */
const iceToken = (chars: number): string => randomBytes(chars).toString('base64').replace(/[^A-Za-z0-9+/]/g, '').slice(0, chars);

function bound(socket: Socket, address: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve(socket.address());
    });
  });
}

/** the datagram side werift's DTLS server talks through: sends to the address ICE settled on */
interface DatagramTransport {
  readonly type: 'udp';
  readonly address: AddressInfo;
  closed: boolean;
  onData: (data: Buffer, addr: readonly [string, number]) => void;
  send(data: Buffer): Promise<void>;
  close(): Promise<void>;
}

export class LightPeer implements ListenerPeer {
  readonly #api: JanusApi;
  readonly #keepalive: SessionKeepalive;
  readonly session: number;
  readonly #socket: Socket;
  readonly #offer: OfferFacts;
  readonly #ufrag = iceToken(8);
  readonly #pwd = iceToken(24);
  readonly #counter = new RtpReceiveCounter(OPUS_CLOCK);
  readonly #transport: DatagramTransport;
  readonly #dtls: DtlsServer;
  /** where Janus's checks come from: the pair it nominated, once it did */
  #remote: { address: string; port: number } | null = null;
  #dtlsUp = false;
  #lastPacketAt = performance.now();
  #closed = false;
  /** Binding requests refused (wrong credentials or fingerprint): a bench bug if ever non-zero */
  stunRefused = 0;
  rtcpPackets = 0;

  private constructor(api: JanusApi, session: number, socket: Socket, offer: OfferFacts, cert: LightCertificate) {
    this.#api = api;
    this.session = session;
    this.#keepalive = new SessionKeepalive(api, session);
    this.#socket = socket;
    this.#offer = offer;
    const transport: DatagramTransport = {
      type: 'udp',
      address: socket.address(),
      closed: false,
      onData: () => undefined,
      send: (data) => {
        const to = this.#remote;
        if (to === null || this.#closed) return Promise.resolve();
        return new Promise((resolve) => this.#socket.send(data, to.port, to.address, () => resolve()));
      },
      close: () => Promise.resolve(),
    };
    this.#transport = transport;
    // Janus offers actpass and the answer says passive: Janus opens the handshake once ICE is up.
    this.#dtls = new DtlsServer({
      cert: cert.certPem,
      key: cert.keyPem,
      signatureHash: cert.signatureHash,
      transport,
      srtpProfiles: [ProtectionProfileAes128CmHmacSha1_80, ProtectionProfileAeadAes128Gcm],
      extendedMasterSecret: true,
      certificateRequest: true,
    });
    socket.on('message', this.#onMessage);
  }

  /** signs in, answers the mountpoint's offer and resolves once DTLS is up, or rejects by `timeoutMs` */
  static async open(api: JanusApi, mountpointId: number, timeoutMs: number, cert: LightCertificate): Promise<LightPeer> {
    const deadline = performance.now() + timeoutMs;
    const session = await api.createSession();
    let peer: LightPeer | null = null;
    let socket: Socket | null = null;
    try {
      const handle = await api.attach(session, STREAMING_PLUGIN);
      await api.message(session, handle, { request: 'watch', id: mountpointId });
      const offer = readOffer((await offerFor(api, session, handle, deadline)).sdp);
      // Our socket on Janus's own candidate address: the same machine, reached the way Janus reaches it.
      const address = offer.candidates[0]?.address ?? '127.0.0.1';
      socket = createSocket('udp4');
      const local = await bound(socket, address);
      peer = new LightPeer(api, session, socket, offer, cert);
      const sdp = answerSdp({
        iceUfrag: peer.#ufrag,
        icePwd: peer.#pwd,
        fingerprint: cert.fingerprint,
        address: local.address,
        port: local.port,
        mid: offer.mid,
        opusPayloadType: offer.opusPayloadType,
        sessionId: String(Date.now()),
      });
      const up = peer.#handshake(deadline);
      await api.message(session, handle, { request: 'start' }, { type: 'answer', sdp });
      await up;
      return peer;
    } catch (err) {
      if (peer !== null) peer.#closeMedia();
      else socket?.close();
      // The session would time out on its own; destroying it now keeps Janus's count honest.
      await api.destroy(session).catch(() => undefined);
      throw err;
    }
  }

  /** resolves when the DTLS handshake is done and Janus's certificate matches its offer */
  #handshake(deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new JanusBenchError('dtls_timeout', this.#remote === null ? 'Janus sent no nominated ICE check in time' : 'the DTLS handshake did not finish in time')),
        Math.max(0, deadline - performance.now()),
      );
      this.#dtls.onError.once((e: unknown) => {
        clearTimeout(timer);
        reject(new JanusBenchError('dtls_failed', `DTLS: ${e instanceof Error ? e.message : String(e)}`, { cause: e }));
      });
      this.#dtls.onConnect.once(() => {
        clearTimeout(timer);
        const der = this.#dtls.remoteCertificate;
        const got = der === undefined ? '' : sdpFingerprint(createHash('sha256').update(der).digest());
        if (this.#offer.fingerprintAlgorithm !== 'sha-256' || got !== this.#offer.fingerprint) {
          reject(new JanusBenchError('dtls_failed', `Janus's certificate (${got || 'none'}) is not the offer's ${this.#offer.fingerprintAlgorithm} ${this.#offer.fingerprint}`));
          return;
        }
        this.#dtlsUp = true;
        resolve();
      });
    });
  }

  // The per-packet path: one branch on the first byte (RFC 7983), then a header read for RTP.
  readonly #onMessage = (buf: Buffer, from: RemoteInfo): void => {
    const now = performance.now();
    this.#lastPacketAt = now;
    if (isRtpOrRtcp(buf)) {
      const h = rtpHeader(buf);
      if (h === null) this.rtcpPackets++;
      else this.#counter.onPacket(h, now);
    } else if (looksLikeStun(buf)) this.#onStun(buf, from);
    else if ((buf[0] ?? 0) >= 20 && (buf[0] ?? 0) < 64) this.#transport.onData(buf, [from.address, from.port]);
  };

  #onStun(buf: Buffer, from: RemoteInfo): void {
    const m = parseStun(buf);
    // Indications are Janus's keepalives and need no answer; we send no requests, so get no responses.
    if (m === null || m.type !== StunType.bindingRequest) return;
    const check = checkBindingRequest(buf, m, this.#ufrag, this.#pwd);
    if (!check.ok) {
      this.stunRefused++;
      return;
    }
    this.#socket.send(bindingSuccess(m.transactionId, from.address, from.port, this.#pwd), from.port, from.address);
    // The controlling agent (Janus) decides the pair: take the one it nominates, or the first it checks.
    if (check.useCandidate || this.#remote === null) this.#remote = { address: from.address, port: from.port };
  }

  get connected(): boolean {
    return !this.#closed && this.#dtlsUp && performance.now() - this.#lastPacketAt < SILENT_MS;
  }

  /** sends a keepalive when one is due; resolves false if Janus refused it (the session is gone) */
  keepaliveIfDue(now: number): Promise<boolean> {
    return this.#closed ? Promise.resolve(true) : this.#keepalive.ifDue(now);
  }

  sample(): Promise<PeerSample> {
    return Promise.resolve({
      at: performance.timeOrigin + performance.now(),
      packetsReceived: this.#counter.received,
      packetsLost: this.#counter.lost,
      jitter: this.#counter.jitterSeconds,
      connected: this.connected,
    });
  }

  #closeMedia(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.closed = true;
    this.#dtls.close();
    this.#socket.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closeMedia();
    await this.#api.destroy(this.session).catch(() => undefined);
  }
}
