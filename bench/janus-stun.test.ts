import { describe, expect, it } from 'vitest';
import { bindingSuccess, buildStun, checkBindingRequest, fingerprintOk, integrityOk, looksLikeStun, parseStun, StunAttr, StunType, xorMappedAddressV4 } from './janus-stun.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 5769 test vectors (their SOFTWARE and USERNAME padding is 0x20 on purpose).
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const REQUEST = hex(`00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
const RESPONSE = hex(`01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
const TID = hex('b7e7a701bc34d686fa87dfae');

const parsed = (b: Buffer): NonNullable<ReturnType<typeof parseStun>> => {
  const m = parseStun(b);
  if (m === null) throw new Error('not parsed');
  return m;
};

describe('STUN (RFC 5389) against RFC 5769', () => {
  it('reads the sample request: type, transaction, attributes without their padding', () => {
    const m = parsed(REQUEST);
    expect(m.type).toBe(StunType.bindingRequest);
    expect(m.transactionId.equals(TID)).toBe(true);
    expect(m.attributes.get(StunAttr.username)?.toString()).toBe('evtj:h6vY');
    expect(m.attributes.get(StunAttr.software)?.toString()).toBe('STUN test client');
    expect(m.attributes.has(StunAttr.iceControlled)).toBe(true);
  });

  it('verifies the sample request and response with the short-term password, and refuses a wrong one', () => {
    for (const b of [REQUEST, RESPONSE]) {
      const m = parsed(b);
      expect(integrityOk(b, m, PASSWORD)).toBe(true);
      expect(fingerprintOk(b, m)).toBe(true);
      expect(integrityOk(b, m, 'not the password')).toBe(false);
    }
  });

  it('notices a flipped byte in the body through MESSAGE-INTEGRITY and FINGERPRINT', () => {
    const b = Buffer.from(REQUEST);
    b[30] = (b[30] ?? 0) ^ 1; // inside SOFTWARE
    const m = parsed(b);
    expect(integrityOk(b, m, PASSWORD)).toBe(false);
    expect(fingerprintOk(b, m)).toBe(false);
  });

  it("encodes XOR-MAPPED-ADDRESS exactly as the sample response does (192.0.2.1:32853)", () => {
    expect(xorMappedAddressV4('192.0.2.1', 32853).equals(hex('00 01 a1 47 e1 12 a6 43'))).toBe(true);
    // An address whose top bit is set after the XOR must not overflow.
    expect(xorMappedAddressV4('255.255.255.255', 65535)).toHaveLength(8);
    expect(() => xorMappedAddressV4('::1', 1)).toThrow(RangeError);
  });

  it("builds the sample response's bytes, all but SOFTWARE's padding and what signs it", () => {
    // The vector pads SOFTWARE with a space, the builder with a zero; header, attributes and layout match.
    const built = buildStun(StunType.bindingSuccess, TID, [
      [StunAttr.software, Buffer.from('test vector')],
      [StunAttr.xorMappedAddress, xorMappedAddressV4('192.0.2.1', 32853)],
    ], PASSWORD);
    expect(built).toHaveLength(RESPONSE.length);
    expect(built.subarray(0, 35).equals(RESPONSE.subarray(0, 35))).toBe(true);
    expect(built.subarray(36, 52).equals(RESPONSE.subarray(36, 52))).toBe(true);
    const m = parsed(built);
    expect(integrityOk(built, m, PASSWORD)).toBe(true);
    expect(fingerprintOk(built, m)).toBe(true);
  });
});

describe('the ICE Binding exchange the light listener does', () => {
  const local = { ufrag: 'abcd1234', pwd: 'p'.repeat(24) };
  const request = (username: string, key: string, useCandidate = false): Buffer =>
    buildStun(
      StunType.bindingRequest,
      hex('0102030405060708090a0b0c'),
      [
        [StunAttr.username, Buffer.from(username)],
        [StunAttr.priority, hex('6e0001ff')],
        [StunAttr.iceControlling, hex('0000000000000001')],
        ...(useCandidate ? [[StunAttr.useCandidate, Buffer.alloc(0)] as const] : []),
      ],
      key,
    );

  it("accepts Janus's check (USERNAME ours:theirs, keyed with our password) and sees USE-CANDIDATE", () => {
    const b = request(`${local.ufrag}:Gtcp`, local.pwd, true);
    expect(looksLikeStun(b)).toBe(true);
    expect(checkBindingRequest(b, parsed(b), local.ufrag, local.pwd)).toEqual({ ok: true, useCandidate: true });
    const plain = request(`${local.ufrag}:Gtcp`, local.pwd);
    expect(checkBindingRequest(plain, parsed(plain), local.ufrag, local.pwd)).toEqual({ ok: true, useCandidate: false });
  });

  it('refuses a check for another agent or with the wrong key', () => {
    const other = request('zzzz:Gtcp', local.pwd);
    expect(checkBindingRequest(other, parsed(other), local.ufrag, local.pwd)).toEqual({ ok: false, why: 'bad-username' });
    const wrongKey = request(`${local.ufrag}:Gtcp`, 'q'.repeat(24));
    expect(checkBindingRequest(wrongKey, parsed(wrongKey), local.ufrag, local.pwd)).toEqual({ ok: false, why: 'bad-integrity' });
  });

  it('answers with a success Janus can verify: same transaction, mapped address, our key, fingerprint', () => {
    const b = bindingSuccess(hex('0102030405060708090a0b0c'), '192.0.2.2', 49735, local.pwd);
    const m = parsed(b);
    expect(m.type).toBe(StunType.bindingSuccess);
    expect(m.transactionId.equals(hex('0102030405060708090a0b0c'))).toBe(true);
    expect(m.attributes.get(StunAttr.xorMappedAddress)?.equals(xorMappedAddressV4('192.0.2.2', 49735))).toBe(true);
    expect(integrityOk(b, m, local.pwd)).toBe(true);
    expect(fingerprintOk(b, m)).toBe(true);
  });

  it('does not take RTP, DTLS or a truncated message for STUN', () => {
    expect(looksLikeStun(hex('80 6f 00 01 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00'))).toBe(false);
    expect(looksLikeStun(hex('16 fe fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'))).toBe(false);
    expect(parseStun(REQUEST.subarray(0, REQUEST.length - 4))).toBeNull();
  });
});
