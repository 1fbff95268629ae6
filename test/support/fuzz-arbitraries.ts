/**
 * @module test/support/fuzz-arbitraries — fast-check generators of hostile input shared by the HTTP and
 * WebSocket fuzz tests: nasty strings (unicode, control characters, NUL and lone surrogates anywhere in
 * them, huge), values of the wrong type, structurally valid room actions with random field values,
 * other request bodies, and raw texts that are not JSON at all (bytes, bytes that are not UTF-8 inside
 * JSON, escapes of NUL and lone surrogates, truncated JSON, deep nesting, bodies over the 64 KiB limit).
 * Ids of real people are passed in, so some generated actions are accepted and the state moves on.
 * Test code only; never imported by src/.
 */
import fc from 'fast-check';
import { REACTIONS } from '../../src/domain/limits.ts';

/** the body limit of the server (transport/http-app.ts MAX_BODY_BYTES) */
export const BODY_LIMIT = 64 * 1024;

const CONTROL = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\u200b', '\u202e'];

const SPECIALS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  'a\ud83dz',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  '../../etc/passwd',
  '%00',
  '%',
  '<script>alert(1)</script>',
  "'; drop table users; --",
  'https://example.com/',
  'javascript:alert(1)',
  'http://127.0.0.1:1/x',
  ...REACTIONS,
  '❤',
  'Ω≈ç√∫',
  'ÅÍÎÏ˝ÓÔ',
  '👩‍👩‍👧‍👦',
];

/** a string of `n` UTF-16 units made by repeating a random seed: cheap to make at any size */
export const hugeString = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme' }), fc.integer({ min, max }))
    .map(([seed, n]) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n));

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 20, unit: 'binary' }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 20, unit: fc.constantFrom(...CONTROL, 'a', ' ') }), weight: 2 },
  { arbitrary: fc.constantFrom(...SPECIALS), weight: 3 },
  // a NUL or a lone surrogate hidden inside ordinary text (the text rule must find it anywhere)
  { arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d'), fc.string({ maxLength: 10 })).map(([a, bad, b]) => a + bad + b), weight: 2 },
  { arbitrary: hugeString(60, 12_000), weight: 1 },
);

/** any JSON value, nested a little */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.object({ maxDepth: 2, maxKeys: 4, values: [nastyString, fc.integer(), fc.boolean(), fc.constant(null)] }),
);

/** what a person-id field receives: mostly real ids (so actions land), else anything at all */
export function idValue(realIds: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...realIds), weight: 6 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: wrongValue, weight: 3 },
  );
}

/** a value of the wrong kind or a hostile string */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 4 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER)), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.array(nastyString, { maxLength: 12 }), weight: 1 },
  { arbitrary: anyJson, weight: 1 },
);

/** `arb` once in `n` draws, else undefined */
const sometimes = <T,>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: n - 1 }, { arbitrary: arb, weight: 1 });

type Fields = Readonly<Record<string, fc.Arbitrary<unknown>>>;

/**
 * An object with these fields, each sometimes left out, plus sometimes extra keys (including ones that
 * look like prototype pollution).
 */
export function looseObject(fields: Fields): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(fields);
  const present = fc.record(fields, { requiredKeys: [] });
  const full = fc.record(fields);
  const extras = fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'type')), wrongValue, { maxKeys: 2 });
  return fc
    .tuple(fc.oneof({ arbitrary: full, weight: 4 }, { arbitrary: present, weight: 1 }), sometimes(extras, 6))
    .map(([base, extra]) => {
      const out: Record<string, unknown> = {};
      for (const k of keys) if (k in base) out[k] = base[k];
      // defineProperty so a '__proto__' key becomes a real own key, as JSON.parse would make it
      if (extra) for (const [k, v] of Object.entries(extra)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    });
}

const goodUrl = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('https://example.com/a', 'https://amphi.example/rooms/1', 'http://x.y'),
  fc.string({ maxLength: 30 }).map((s) => `https://example.com/${encodeURIComponent(s)}`),
);

/** the fields of every RoomActionBody variant, keyed by `type`; `clean` keeps every value well-formed */
function actionFields(realIds: readonly string[], clean: boolean): Readonly<Record<string, Fields>> {
  const target = clean ? fc.constantFrom(...realIds) : idValue(realIds);
  const reason = clean ? fc.string({ maxLength: 60 }) : fc.oneof({ arbitrary: fc.string({ maxLength: 60 }), weight: 3 }, { arbitrary: wrongValue, weight: 2 }, { arbitrary: hugeString(400, 3000), weight: 1 });
  const url = clean ? goodUrl : fc.oneof({ arbitrary: goodUrl, weight: 3 }, { arbitrary: wrongValue, weight: 2 }, { arbitrary: hugeString(1000, 11_000), weight: 1 });
  const reaction = clean ? fc.constantFrom(...REACTIONS) : fc.oneof({ arbitrary: fc.constantFrom(...REACTIONS), weight: 3 }, { arbitrary: wrongValue, weight: 1 });
  const none: Fields = {};
  return {
    goLive: none,
    end: none,
    requestToSpeak: none,
    cancelRequest: none,
    approveRequest: { target },
    declineRequest: { target },
    invite: { target },
    cancelInvite: { target },
    acceptInvite: none,
    declineInvite: none,
    stepDown: none,
    moveToAudience: { target },
    mute: none,
    unmute: none,
    muteMember: { target },
    muteAll: none,
    addCohost: { target },
    removeCohost: { target },
    handOver: { target },
    remove: { target, reason },
    pin: { url },
    unpin: { url },
    react: { reaction },
    report: { target: fc.oneof(target, fc.constant(null)), reason },
  };
}

/**
 * A RoomActionBody-shaped object: one of the 24 variants with random field values, sometimes a field
 * missing, extra fields, or a `type` that is almost right.
 */
export function actionBody(realIds: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const variants = Object.entries(actionFields(realIds, false)).map(([type, fields]) =>
    fc.tuple(looseObject(fields), sometimes(fc.oneof(fc.constant(type.toUpperCase()), fc.constant(` ${type}`), wrongValue), 12)).map(([body, badType]) => {
      const out: Record<string, unknown> = { type: badType ?? type };
      for (const [k, v] of Object.entries(body)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    }),
  );
  return fc.oneof(...variants);
}

/** a RoomActionBody that passes the schema: a real variant, real ids, values within bounds */
export function cleanActionBody(realIds: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(...Object.entries(actionFields(realIds, true)).map(([type, fields]) => fc.record(fields).map((body) => ({ type, ...body }))));
}

/** an action body: a third well-formed (so the room's rules are exercised), the rest hostile */
export function someActionBody(realIds: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(cleanActionBody(realIds), actionBody(realIds), actionBody(realIds));
}

/** the other request bodies of the API, each with random field values */
export function otherBodies(realIds: readonly string[], handles: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const title = fc.oneof(fc.string({ maxLength: 80 }), wrongValue);
  const topics = fc.oneof(fc.array(fc.string({ maxLength: 40 }), { maxLength: 12 }), wrongValue);
  const description = fc.oneof(fc.string({ maxLength: 300 }), wrongValue);
  const speakerPolicy = fc.oneof(fc.constantFrom('everyone', 'followed', 'invited'), wrongValue);
  const handle = fc.oneof(fc.constantFrom(...handles), fc.stringMatching(/^[a-z0-9_]{3,15}$/), wrongValue);
  const password = fc.oneof(fc.string({ minLength: 10, maxLength: 30 }), wrongValue);
  return fc.oneof(
    looseObject({ handle, displayName: fc.oneof(fc.string({ maxLength: 60 }), wrongValue), password }),
    looseObject({ handle, password }),
    looseObject({ title, topics, description, speakerPolicy }),
    fc.record({ title, topics, description, speakerPolicy }, { requiredKeys: [] }),
    looseObject({ target: idValue(realIds) }),
  );
}

/** byte sequences that are not UTF-8: a lone byte, an overlong form, an encoded surrogate, a cut sequence */
const NOT_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe9], [0xf0, 0x9f, 0x98]];

/** a JSON body that is otherwise fine but carries bytes that are not UTF-8 inside a string */
const notUtf8Json: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.constantFrom('{"type":"report","target":null,"reason":"', '{"title":"', '{"handle":"', '{"type":"pin","url":"https://a.example/'), fc.constantFrom(...NOT_UTF8))
  .map(([start, bad]) => new Uint8Array(Buffer.concat([Buffer.from(start), Buffer.from(bad), Buffer.from('"}')])));

/** texts that are not a JSON object a handler could accept, all within the 64 KiB limit */
export const rawTextWithinLimit: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  notUtf8Json,
  // escapes that JSON.parse turns into a NUL or a lone surrogate
  fc.constantFrom('{"type":"report","target":null,"reason":"a\\u0000b"}', '{"title":"\\ud800"}', '{"title":"ok","topics":["\\udc00x"]}', '{"\\u0000":1}', '"\\u0000"'),
  fc.uint8Array({ maxLength: 2000 }),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, cut]) => {
    const text = JSON.stringify(v) ?? 'null';
    return text.slice(0, cut % Math.max(text.length, 1));
  }),
  fc.constantFrom('{', '}', '[', '"', '{"type":', '{"type":"pin","url":', 'nul', 'tru', '1e999999', '-', '0x10', '{"a":1,}', "{'type':'end'}", '\ufeff{"type":"end"}', '\u0000'),
  fc.integer({ min: 1000, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1000, max: 30_000 }).map((n) => '['.repeat(n)),
  // just under the limit
  fc.integer({ min: BODY_LIMIT - 100, max: BODY_LIMIT - 30 }).map((n) => JSON.stringify({ type: 'pin', url: 'x'.repeat(n - 24) })),
);

/** texts over the 64 KiB limit */
export const rawTextOverLimit: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT + 8000 }).map((n) => JSON.stringify({ type: 'pin', url: 'x'.repeat(n) })),
  fc.integer({ min: 70_000, max: 72_000 }).map((n) => 'a'.repeat(n)),
);

export const rawText: fc.Arbitrary<string | Uint8Array> = fc.oneof({ arbitrary: rawTextWithinLimit, weight: 8 }, { arbitrary: rawTextOverLimit, weight: 2 });
