/**
 * @module test/support/fuzz-ws-frames — fast-check generators of room WebSocket frames for the fuzz
 * test (valid ClientMessages with random values, near-misses, any JSON, random text and bytes, text and
 * binary, up to the 64 KiB limit) and the oracle that says which answer each frame must get, read from
 * protocol's ClientMessage schema. Test code only; never imported by src/.
 */
import fc from 'fast-check';
import { ClientMessage } from '../../src/protocol/api-views.ts';
import { findTextFault } from '../../src/protocol/text-rule.ts';
import { actionBody, anyJson, BODY_LIMIT, someActionBody, looseObject, nastyString, rawTextWithinLimit, wrongValue } from './fuzz-arbitraries.ts';

export type FuzzFrame = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'binary'; readonly bytes: Uint8Array };

/** what the server must answer: a pong, an ack or a refusal (both ack and error for a valid action) */
export type Expected = { readonly answer: 'pong'; readonly ref: string | null } | { readonly answer: 'ackOrError'; readonly ref: string | null; readonly action: string } | { readonly answer: 'bad' };

const ref = fc.oneof(
  { arbitrary: fc.string({ maxLength: 64 }), weight: 4 },
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: nastyString, weight: 1 },
  { arbitrary: wrongValue, weight: 1 },
);

const withRef = (base: Record<string, unknown>, r: unknown): Record<string, unknown> => (r === undefined ? base : { ...base, ref: r });
const text = (v: unknown): FuzzFrame => ({ kind: 'text', text: JSON.stringify(v) ?? 'null' });

/** a message the server must refuse as malformed (bad_request or invalid_json), within the limit */
export function badFrame(realIds: readonly string[]): fc.Arbitrary<FuzzFrame> {
  return fc
    .oneof(
      rawTextWithinLimit.map((t): FuzzFrame => (typeof t === 'string' ? { kind: 'text', text: t } : { kind: 'binary', bytes: t })),
      anyJson.map(text),
      fc.tuple(looseObject({ type: fc.constantFrom('action', 'ping'), action: actionBody(realIds) }), ref).map(([m, r]) => text(withRef(m, r))),
    )
    .filter((f) => frameBytes(f) <= BODY_LIMIT && expectedFor(f).answer === 'bad');
}

/** any frame within the 64 KiB limit: frames over it crash the server today (see fuzz-ws.test.ts) */
export function frameArb(realIds: readonly string[]): fc.Arbitrary<FuzzFrame> {
  const action = fc.tuple(someActionBody(realIds), ref).map(([a, r]) => withRef({ type: 'action', action: a }, r));
  const ping = ref.map((r) => withRef({ type: 'ping' }, r));
  const loose = fc.tuple(looseObject({ type: fc.oneof(fc.constantFrom('action', 'ping', 'ack', 'state'), wrongValue), action: fc.oneof(actionBody(realIds), wrongValue) }), ref).map(([m, r]) => withRef(m, r));
  const nearLimit = fc.tuple(fc.integer({ min: BODY_LIMIT - 2000, max: BODY_LIMIT - 60 }), fc.string({ maxLength: 8 })).map(([n, r]) => ({ type: 'action', ref: r, action: { type: 'pin', url: 'x'.repeat(n) } }));
  return fc.oneof(
    { arbitrary: action.map(text), weight: 8 },
    { arbitrary: ping.map(text), weight: 1 },
    { arbitrary: loose.map(text), weight: 2 },
    { arbitrary: anyJson.map(text), weight: 1 },
    { arbitrary: rawTextWithinLimit.map((t): FuzzFrame => (typeof t === 'string' ? { kind: 'text', text: t } : { kind: 'binary', bytes: t })), weight: 2 },
    { arbitrary: fc.oneof(action, ping, anyJson).map((v): FuzzFrame => ({ kind: 'binary', bytes: new Uint8Array(Buffer.from(JSON.stringify(v) ?? 'null')) })), weight: 1 },
    { arbitrary: nearLimit.map(text), weight: 1 },
  ).filter((f) => frameBytes(f) <= BODY_LIMIT);
}

export function frameBytes(f: FuzzFrame): number {
  return f.kind === 'text' ? Buffer.byteLength(f.text, 'utf8') : f.bytes.length;
}

/** the oracle: which answer this frame must get, by the protocol's own schema */
export function expectedFor(f: FuzzFrame): Expected {
  // as the server reads a message: UTF-8 or refused (a leading BOM dropped), then the text rule
  let t: string;
  try {
    // a JS string goes on the wire as UTF-8, its lone surrogates as U+FFFD
    t = new TextDecoder('utf-8', { fatal: true }).decode(f.kind === 'text' ? Buffer.from(f.text, 'utf8') : f.bytes);
  } catch {
    return { answer: 'bad' };
  }
  let value: unknown = {};
  if (t.trim() !== '') {
    try {
      value = JSON.parse(t);
    } catch {
      return { answer: 'bad' };
    }
  }
  if (findTextFault(value) !== null) return { answer: 'bad' };
  const parsed = ClientMessage.safeParse(value);
  if (!parsed.success) return { answer: 'bad' };
  return parsed.data.type === 'ping' ? { answer: 'pong', ref: parsed.data.ref ?? null } : { answer: 'ackOrError', ref: parsed.data.ref ?? null, action: parsed.data.type === 'action' ? parsed.data.action.type : parsed.data.type };
}
