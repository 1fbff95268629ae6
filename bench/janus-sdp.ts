/**
 * @module bench/janus-sdp — the light Janus listener's side of the offer/answer: reads what it needs from
 * the Streaming plugin's offer (ICE credentials, the DTLS fingerprint, the audio section's mid and Opus
 * payload type, Janus's host candidates) and writes the answer a receive-only WebRTC peer would: one
 * audio section, rtcp-mux, our ICE credentials and single host candidate, our certificate's fingerprint,
 * DTLS role passive (Janus, the offerer, opens the handshake once ICE is up). Pure text work; it must
 * never accept an offer it cannot answer truthfully (a missing field is a coded error, not a guess).
 */
import { JanusBenchError } from './janus-error.ts';

export interface OfferFacts {
  readonly iceUfrag: string;
  readonly icePwd: string;
  /** e.g. sha-256 */
  readonly fingerprintAlgorithm: string;
  /** upper-case hex pairs separated by colons, as SDP writes it */
  readonly fingerprint: string;
  readonly mid: string;
  readonly opusPayloadType: number;
  readonly candidates: readonly { readonly address: string; readonly port: number }[];
}

/** the value of the first `a=name:` line in `lines`, or undefined */
const attr = (lines: readonly string[], name: string): string | undefined => lines.find((l) => l.startsWith(`a=${name}:`))?.slice(name.length + 3).trim();

export function readOffer(sdp: string): OfferFacts {
  const lines = sdp.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const audioAt = lines.findIndex((l) => l.startsWith('m=audio '));
  if (audioAt < 0) throw new JanusBenchError('bad_offer', 'the offer has no audio section');
  const nextM = lines.findIndex((l, i) => i > audioAt && l.startsWith('m='));
  const session = lines.slice(0, audioAt);
  const audio = lines.slice(audioAt, nextM < 0 ? undefined : nextM);
  // Media-level values win over session-level ones (RFC 8866 §5).
  const pick = (name: string): string | undefined => attr(audio, name) ?? attr(session, name);
  const need = (name: string): string => {
    const v = pick(name);
    if (v === undefined || v === '') throw new JanusBenchError('bad_offer', `the offer has no a=${name}`);
    return v;
  };
  const [fingerprintAlgorithm = '', fingerprint = ''] = need('fingerprint').split(/\s+/);
  const opus = audio
    .filter((l) => l.startsWith('a=rtpmap:'))
    .map((l) => /^a=rtpmap:(\d+)\s+opus\/48000/i.exec(l))
    .find((m) => m !== null);
  if (opus === undefined || opus === null) throw new JanusBenchError('bad_offer', 'the offer has no Opus payload type');
  const candidates = audio
    .filter((l) => l.startsWith('a=candidate:'))
    .map((l) => l.slice('a=candidate:'.length).split(/\s+/))
    // foundation component transport priority address port typ type …: UDP, RTP component, IPv4 only.
    .filter((f) => f[1] === '1' && f[2]?.toLowerCase() === 'udp' && /^\d+\.\d+\.\d+\.\d+$/.test(f[4] ?? ''))
    .map((f) => ({ address: f[4] ?? '', port: Number(f[5]) }));
  return {
    iceUfrag: need('ice-ufrag'),
    icePwd: need('ice-pwd'),
    fingerprintAlgorithm: fingerprintAlgorithm.toLowerCase(),
    fingerprint: fingerprint.toUpperCase(),
    mid: need('mid'),
    opusPayloadType: Number(opus[1]),
    candidates,
  };
}

export interface AnswerFacts {
  readonly iceUfrag: string;
  readonly icePwd: string;
  /** sha-256 of our certificate, upper-case hex pairs with colons */
  readonly fingerprint: string;
  readonly address: string;
  readonly port: number;
  readonly mid: string;
  readonly opusPayloadType: number;
  /** o= session id: digits */
  readonly sessionId: string;
}

/**
 * A receive-only answer with every candidate in it (no trickle). Nothing is asked for beyond plain Opus:
 * no transport-cc or other feedback, no header extension, so Janus sends what every listener gets minus
 * the congestion-control extras a browser would negotiate.
 */
export function answerSdp(a: AnswerFacts): string {
  return (
    [
      'v=0',
      `o=- ${a.sessionId} 1 IN IP4 ${a.address}`,
      's=-',
      't=0 0',
      `a=group:BUNDLE ${a.mid}`,
      `m=audio ${a.port} UDP/TLS/RTP/SAVPF ${a.opusPayloadType}`,
      `c=IN IP4 ${a.address}`,
      'a=recvonly',
      `a=mid:${a.mid}`,
      'a=rtcp-mux',
      `a=ice-ufrag:${a.iceUfrag}`,
      `a=ice-pwd:${a.icePwd}`,
      `a=fingerprint:sha-256 ${a.fingerprint}`,
      'a=setup:passive',
      `a=rtpmap:${a.opusPayloadType} opus/48000/2`,
      // One host candidate: the listener's own socket. Priority per RFC 8445 §5.1.2.1 (host, one address, RTP).
      `a=candidate:1 1 udp ${(126 << 24) | (65535 << 8) | 255} ${a.address} ${a.port} typ host`,
      'a=end-of-candidates',
    ].join('\r\n') + '\r\n'
  );
}

/** a DER certificate's fingerprint as SDP writes it: upper-case hex pairs joined by colons */
export function sdpFingerprint(digest: Buffer): string {
  return [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}
