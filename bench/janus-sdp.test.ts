import { describe, expect, it } from 'vitest';
import { JanusBenchError } from './janus-error.ts';
import { answerSdp, readOffer, sdpFingerprint } from './janus-sdp.ts';

// The Streaming plugin's offer as Janus 1.1.2 sent it in this bench (one Opus RTP mountpoint).
const OFFER = [
  'v=0',
  'o=- 1796038338274161 1 IN IP4 192.0.2.2',
  's=Mountpoint 1',
  't=0 0',
  'a=group:BUNDLE a',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 3A:78:BF:87:F8:4F:9B:6D:4C:B6:94:50:D5:24:9E:02:52:F6:50:60:99:C3:E7:F8:E9:9B:E5:25:F9:83:65:31',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS *',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 192.0.2.2',
  'a=sendonly',
  'a=mid:a',
  'a=rtcp-mux',
  'a=ice-ufrag:Gtcp',
  'a=ice-pwd:FjddtxJl8Yvwsdguo9IyOb',
  'a=ice-options:trickle',
  'a=setup:actpass',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=msid:janus janusa',
  'a=ssrc:1907243212 cname:janus',
  'a=candidate:1 1 udp 2015363327 192.0.2.2 49735 typ host',
  'a=end-of-candidates',
  '',
].join('\r\n');

describe('readOffer', () => {
  it("takes ICE credentials, fingerprint, mid, Opus's payload type and Janus's host candidate", () => {
    expect(readOffer(OFFER)).toEqual({
      iceUfrag: 'Gtcp',
      icePwd: 'FjddtxJl8Yvwsdguo9IyOb',
      fingerprintAlgorithm: 'sha-256',
      fingerprint: '3A:78:BF:87:F8:4F:9B:6D:4C:B6:94:50:D5:24:9E:02:52:F6:50:60:99:C3:E7:F8:E9:9B:E5:25:F9:83:65:31',
      mid: 'a',
      opusPayloadType: 111,
      candidates: [{ address: '192.0.2.2', port: 49735 }],
    });
  });

  it('prefers media-level credentials over session-level ones and skips IPv6 and RTCP candidates', () => {
    const sdp = OFFER.replace('t=0 0\r\n', 't=0 0\r\na=ice-ufrag:SESS\r\n').replace(
      'a=end-of-candidates',
      'a=candidate:2 1 udp 1 ::1 5000 typ host\r\na=candidate:3 2 udp 1 192.0.2.9 5001 typ host\r\na=end-of-candidates',
    );
    const o = readOffer(sdp);
    expect(o.iceUfrag).toBe('Gtcp');
    expect(o.candidates).toEqual([{ address: '192.0.2.2', port: 49735 }]);
  });

  it('refuses an offer it could not answer truthfully, with a code', () => {
    for (const broken of [OFFER.replace(/a=ice-pwd:.*\r\n/, ''), OFFER.replace('opus/48000/2', 'PCMU/8000'), OFFER.replace(/m=audio[^]*/, '')]) {
      expect(() => readOffer(broken)).toThrow(JanusBenchError);
    }
  });
});

describe('answerSdp', () => {
  const answer = answerSdp({
    iceUfrag: 'ab12CD34',
    icePwd: 'x'.repeat(24),
    fingerprint: 'AA:BB',
    address: '192.0.2.2',
    port: 40000,
    mid: 'a',
    opusPayloadType: 111,
    sessionId: '42',
  });
  const lines = answer.split('\r\n');

  it('answers receive-only plain Opus, passive DTLS, one host candidate, no trickle', () => {
    for (const l of [
      'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
      'a=recvonly',
      'a=mid:a',
      'a=rtcp-mux',
      'a=ice-ufrag:ab12CD34',
      `a=ice-pwd:${'x'.repeat(24)}`,
      'a=fingerprint:sha-256 AA:BB',
      'a=setup:passive',
      'a=rtpmap:111 opus/48000/2',
      'a=end-of-candidates',
    ])
      expect(lines).toContain(l);
    expect(lines.filter((l) => l.startsWith('a=candidate:'))).toEqual([`a=candidate:1 1 udp ${126 * 2 ** 24 + 65535 * 256 + 255} 192.0.2.2 40000 typ host`]);
    // Nothing Janus would have to do beyond sending: no feedback, no header extension.
    expect(answer).not.toMatch(/rtcp-fb|extmap|sendrecv/);
    expect(answer.endsWith('\r\n')).toBe(true);
  });

  it('reads back as an offer would (the parser and the writer agree)', () => {
    const back = readOffer(answer.replace('a=fingerprint:sha-256 AA:BB', 'a=fingerprint:sha-256 aa:bb'));
    expect(back).toMatchObject({ iceUfrag: 'ab12CD34', mid: 'a', opusPayloadType: 111, fingerprint: 'AA:BB', candidates: [{ address: '192.0.2.2', port: 40000 }] });
  });
});

describe('sdpFingerprint', () => {
  it('writes a digest as upper-case hex pairs with colons', () => {
    expect(sdpFingerprint(Buffer.from([0x0a, 0xff, 0x00]))).toBe('0A:FF:00');
  });
});
