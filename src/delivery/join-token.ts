/**
 * @module join-token — signed listener join tokens that any node verifies with a shared secret and no
 * database: `<payload>.<mac>`, both base64url; payload is the JSON array [2, streamId, userId|null,
 * issuedAtMs, expiresAtMs] (the issue time lets a node refuse a token issued before a removal or a
 * block); mac is HMAC-SHA256 over the payload text. Verify runs on every join of a join storm,
 * so it costs one HMAC and one small JSON.parse, compares in constant time, and never throws on input.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { DeliveryError } from './delivery-error.ts';
import { asStreamId, type StreamId } from './stream-id.ts';

export interface JoinClaims {
  readonly streamId: StreamId;
  /** the signed-in listener, or null for an anonymous one */
  readonly userId: string | null;
  /** milliseconds since the Unix epoch: when the room's rules last let this person in */
  readonly issuedAt: number;
  /** milliseconds since the Unix epoch; the token is refused from this instant on */
  readonly expiresAt: number;
}

export type JoinTokenVerdict =
  | { readonly ok: true; readonly claims: JoinClaims }
  | { readonly ok: false; readonly code: 'bad_token' | 'expired' };

const TOKEN_VERSION = 2;
const MIN_SECRET_BYTES = 32;
const MAC_BYTES = 32;
/** base64url of 32 bytes, unpadded */
const MAC_CHARS = 43;
/** longer tokens are refused before any hashing, so junk cannot make a join expensive */
export const MAX_JOIN_TOKEN_CHARS = 1024;
const BAD: JoinTokenVerdict = { ok: false, code: 'bad_token' };
const EXPIRED: JoinTokenVerdict = { ok: false, code: 'expired' };

const checkSecret = (secret: string | Uint8Array): void => {
  const bytes = typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength;
  if (bytes < MIN_SECRET_BYTES) throw DeliveryError.invalidSecret();
};

/** a KeyObject per secret: createHmac with a raw string key re-imports it on every call (~10 µs per join) */
const keys = new Map<string, KeyObject>();
const keyFor = (secret: string | Uint8Array): KeyObject => {
  if (typeof secret !== 'string') return createSecretKey(secret);
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size > 16) keys.clear();
    keys.set(secret, (key = createSecretKey(Buffer.from(secret))));
  }
  return key;
};

const mac = (secret: string | Uint8Array, payload: string): Buffer =>
  createHmac('sha256', keyFor(secret)).update(payload).digest();

export const signJoinToken = (secret: string | Uint8Array, claims: JoinClaims): string => {
  checkSecret(secret);
  if (!Number.isSafeInteger(claims.expiresAt) || !Number.isSafeInteger(claims.issuedAt)) throw DeliveryError.invalidConfig('issuedAt and expiresAt must be integer ms timestamps');
  const payload = Buffer.from(
    JSON.stringify([TOKEN_VERSION, claims.streamId, claims.userId, claims.issuedAt, claims.expiresAt]),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
};

export const verifyJoinToken = (secret: string | Uint8Array, token: string, now: number): JoinTokenVerdict => {
  checkSecret(secret);
  if (token.length > MAX_JOIN_TOKEN_CHARS) return BAD;
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length - dot - 1 !== MAC_CHARS) return BAD;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  if (given.byteLength !== MAC_BYTES || !timingSafeEqual(given, mac(secret, payload))) return BAD;
  const claims = parseClaims(payload);
  if (claims === null) return BAD;
  return now >= claims.expiresAt ? EXPIRED : { ok: true, claims };
};

const parseClaims = (payload: string): JoinClaims | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // Only reachable with our own MAC on a payload we did not write (secret reuse): refuse it.
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) return null;
  const [version, streamId, userId, issuedAt, expiresAt] = parsed as unknown[];
  if (version !== TOKEN_VERSION || typeof streamId !== 'string' || streamId.length === 0) return null;
  if (userId !== null && typeof userId !== 'string') return null;
  if (typeof issuedAt !== 'number' || !Number.isSafeInteger(issuedAt)) return null;
  if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt)) return null;
  return { streamId: asStreamId(streamId), userId, issuedAt, expiresAt };
};
