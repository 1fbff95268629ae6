/**
 * @module bench/janus-stun — the few STUN messages (RFC 5389, with the ICE attributes of RFC 8445) the
 * light Janus listener (bench/janus-light-peer.ts) needs to be an ICE agent Janus accepts: read a
 * Binding request and check its MESSAGE-INTEGRITY (short-term credentials: the key is the password) and
 * FINGERPRINT, and build the Binding success answer Janus checks the same way. Pure byte work on
 * Buffers, no socket and no clock, so RFC 5769's test vectors test it; it must never send anything.
 */
import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const MAGIC_COOKIE = 0x2112a442;
const HEADER = 20;
const FINGERPRINT_XOR = 0x5354554e;

export const StunType = {
  bindingRequest: 0x0001,
  bindingIndication: 0x0011,
  bindingSuccess: 0x0101,
  bindingError: 0x0111,
} as const;

export const StunAttr = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  xorMappedAddress: 0x0020,
  priority: 0x0024,
  useCandidate: 0x0025,
  software: 0x8022,
  fingerprint: 0x8028,
  iceControlled: 0x8029,
  iceControlling: 0x802a,
} as const;

export interface StunMessage {
  readonly type: number;
  /** 12 bytes */
  readonly transactionId: Buffer;
  /** attribute values by type (the first of each type; later copies are ignored, as RFC 5389 allows) */
  readonly attributes: ReadonlyMap<number, Buffer>;
  /** where the MESSAGE-INTEGRITY attribute starts, or -1 */
  readonly integrityAt: number;
  /** where the FINGERPRINT attribute starts, or -1 */
  readonly fingerprintAt: number;
}

/**
 * True for a datagram that may be STUN: RFC 7983's demultiplexing puts STUN at first bytes 0-3 (DTLS is
 * 20-63, RTP and RTCP 128-191), and every STUN message carries the magic cookie.
 */
export function looksLikeStun(buf: Buffer): boolean {
  return buf.length >= HEADER && (buf[0] ?? 0xff) < 4 && buf.readUInt32BE(4) === MAGIC_COOKIE;
}

/** the message's header and attributes, or null when it is not a well-formed STUN message */
export function parseStun(buf: Buffer): StunMessage | null {
  if (!looksLikeStun(buf)) return null;
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER + length !== buf.length) return null;
  const attributes = new Map<number, Buffer>();
  let integrityAt = -1;
  let fingerprintAt = -1;
  let at = HEADER;
  while (at + 4 <= buf.length) {
    const type = buf.readUInt16BE(at);
    const len = buf.readUInt16BE(at + 2);
    const end = at + 4 + len;
    if (end > buf.length) return null;
    if (!attributes.has(type)) attributes.set(type, buf.subarray(at + 4, end));
    if (type === StunAttr.messageIntegrity && integrityAt < 0) integrityAt = at;
    if (type === StunAttr.fingerprint && fingerprintAt < 0) fingerprintAt = at;
    at = end + ((4 - (len % 4)) % 4);
  }
  if (at !== buf.length) return null;
  return { type: buf.readUInt16BE(0), transactionId: buf.subarray(8, HEADER), attributes, integrityAt, fingerprintAt };
}

/** the header's length field as it was when an attribute ending at `end` was the last one */
function withLength(buf: Buffer, end: number): Buffer {
  const copy = Buffer.from(buf.subarray(0, end));
  copy.writeUInt16BE(end - HEADER, 2);
  return copy;
}

function hmacOver(buf: Buffer, integrityAt: number, key: string): Buffer {
  // The length field counts up to the end of MESSAGE-INTEGRITY (24 bytes), FINGERPRINT excluded.
  return createHmac('sha1', key).update(withLength(buf, integrityAt + 24).subarray(0, integrityAt)).digest();
}

function fingerprintOver(buf: Buffer, fingerprintAt: number): number {
  return (crc32(withLength(buf, fingerprintAt + 8).subarray(0, fingerprintAt)) ^ FINGERPRINT_XOR) >>> 0;
}

/** MESSAGE-INTEGRITY present and made with `key` (short-term credentials: the password itself) */
export function integrityOk(buf: Buffer, m: StunMessage, key: string): boolean {
  if (m.integrityAt < 0) return false;
  const got = m.attributes.get(StunAttr.messageIntegrity);
  return got !== undefined && got.length === 20 && got.equals(hmacOver(buf, m.integrityAt, key));
}

/** FINGERPRINT present, last, and right */
export function fingerprintOk(buf: Buffer, m: StunMessage): boolean {
  if (m.fingerprintAt < 0 || m.fingerprintAt + 8 !== buf.length) return false;
  return buf.readUInt32BE(m.fingerprintAt + 4) === fingerprintOver(buf, m.fingerprintAt);
}

/** XOR-MAPPED-ADDRESS for an IPv4 address: family 1, port and address XORed with the magic cookie */
export function xorMappedAddressV4(address: string, port: number): Buffer {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`not an IPv4 address: ${address}`);
  const v = Buffer.alloc(8);
  v.writeUInt16BE(0x0001, 0);
  v.writeUInt16BE((port ^ (MAGIC_COOKIE >>> 16)) & 0xffff, 2);
  v.writeUInt32BE(((((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) ^ MAGIC_COOKIE) >>> 0, 4);
  return v;
}

function attribute(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

/**
 * A STUN message with `attributes`, then MESSAGE-INTEGRITY keyed with `key` (when given) and
 * FINGERPRINT, each computed over what precedes it with the length field RFC 5389 §15.4/§15.5 asks for.
 */
export function buildStun(type: number, transactionId: Buffer, attributes: readonly (readonly [number, Buffer])[], key?: string): Buffer {
  if (transactionId.length !== 12) throw new RangeError('a STUN transaction id has 12 bytes');
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(type, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  let msg = Buffer.concat([header, ...attributes.map(([t, v]) => attribute(t, v))]);
  if (key !== undefined) {
    const at = msg.length;
    msg = Buffer.concat([msg, attribute(StunAttr.messageIntegrity, Buffer.alloc(20))]);
    hmacOver(msg, at, key).copy(msg, at + 4);
  }
  const at = msg.length;
  msg = Buffer.concat([msg, attribute(StunAttr.fingerprint, Buffer.alloc(4))]);
  msg.writeUInt16BE(msg.length - HEADER, 2);
  msg.writeUInt32BE(fingerprintOver(msg, at), at + 4);
  return msg;
}

/** the Binding success answer to `request` from `address:port`, signed with the local ICE password */
export function bindingSuccess(transactionId: Buffer, address: string, port: number, localPassword: string): Buffer {
  return buildStun(StunType.bindingSuccess, transactionId, [[StunAttr.xorMappedAddress, xorMappedAddressV4(address, port)]], localPassword);
}

export type BindingCheck =
  | { readonly ok: true; readonly useCandidate: boolean }
  | { readonly ok: false; readonly why: 'not-a-request' | 'bad-fingerprint' | 'bad-username' | 'bad-integrity' };

/**
 * Whether a Binding request is for this agent: FINGERPRINT right, USERNAME `localUfrag:remoteUfrag`
 * (RFC 8445 §7.2.2, the receiver's fragment first), MESSAGE-INTEGRITY made with the local password.
 */
export function checkBindingRequest(buf: Buffer, m: StunMessage, localUfrag: string, localPassword: string): BindingCheck {
  if (m.type !== StunType.bindingRequest) return { ok: false, why: 'not-a-request' };
  if (!fingerprintOk(buf, m)) return { ok: false, why: 'bad-fingerprint' };
  const user = m.attributes.get(StunAttr.username)?.toString('utf8') ?? '';
  if (!user.startsWith(`${localUfrag}:`)) return { ok: false, why: 'bad-username' };
  if (!integrityOk(buf, m, localPassword)) return { ok: false, why: 'bad-integrity' };
  return { ok: true, useCandidate: m.attributes.has(StunAttr.useCandidate) };
}
