/**
 * @module test/support/fuzz-http-requests — generates HTTP requests for the fuzz test as data (which
 * route or raw path, which room or handle, which cookie and Origin, which body) and turns one into a
 * real fetch against the cast's server at send time, so room ids made after generation still count.
 * A persona's session is never signed out by a fuzzed request (a spare session is sent instead), so
 * the cast keeps its people. Test code only; never imported by src/.
 */
import fc from 'fast-check';
import { API_ROUTES, type RouteId } from '../../src/protocol/api-routes.ts';
import { actionBody, anyJson, someActionBody, nastyString, otherBodies, rawText } from './fuzz-arbitraries.ts';
import { PERSONAS, type Cast, type Persona, type RoomStateName } from './fuzz-cast.ts';

export type RoomRef = { readonly kind: 'state'; readonly state: RoomStateName } | { readonly kind: 'old'; readonly pick: number } | { readonly kind: 'raw'; readonly value: string };
export type HandleRef = { readonly kind: 'persona'; readonly persona: Persona; readonly upper: boolean } | { readonly kind: 'raw'; readonly value: string };
export type Target =
  | { readonly kind: 'route'; readonly route: RouteId; readonly room: RoomRef; readonly handle: HandleRef; readonly query: string }
  | { readonly kind: 'raw'; readonly path: string };
export type CookieChoice = { readonly kind: 'none' } | { readonly kind: 'persona'; readonly persona: Persona } | { readonly kind: 'raw'; readonly value: string };
export type OriginChoice = 'none' | 'own' | 'host' | 'foreign' | 'null' | 'ownSlash' | 'otherPort';
export type BodySpec = { readonly kind: 'none' } | { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'raw'; readonly text: string | Uint8Array };

export interface FuzzRequest {
  readonly target: Target;
  /** null: the route's own method */
  readonly method: string | null;
  readonly cookie: CookieChoice;
  readonly origin: OriginChoice;
  readonly contentType: string | null;
  readonly body: BodySpec;
}

export interface ResolvedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array<ArrayBuffer> | undefined;
}

const ROUTE_IDS = Object.keys(API_ROUTES) as RouteId[];
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** header-safe text: printable ASCII only, as fetch refuses anything else in a header */
const headerText = (max: number) => fc.string({ maxLength: max, unit: fc.mapToConstant({ num: 0x7e - 0x20 + 1, build: (v) => String.fromCharCode(0x20 + v) }) });

/** percent-encodes the UTF-8 bytes of `s` (a lone surrogate becomes U+FFFD, as on any wire) */
const pctEncode = (s: string): string =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const segment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: nastyString.map((s) => pctEncode(s.slice(0, 200))), weight: 4 },
  { arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', 'a%00', '%00', '..', '.', '%2e%2e', '%2F', 'a%00b', '~', '-', 'x'.repeat(65), 'x'.repeat(64), 'ws', 'actions'), weight: 2 },
  { arbitrary: fc.uuid(), weight: 1 },
);

export const roomRef: fc.Arbitrary<RoomRef> = fc.oneof(
  { arbitrary: fc.constant<RoomRef>({ kind: 'state', state: 'live' }), weight: 6 },
  { arbitrary: fc.constant<RoomRef>({ kind: 'state', state: 'backstage' }), weight: 3 },
  { arbitrary: fc.constant<RoomRef>({ kind: 'state', state: 'ended' }), weight: 1 },
  { arbitrary: fc.nat().map((pick): RoomRef => ({ kind: 'old', pick })), weight: 1 },
  { arbitrary: segment.map((value): RoomRef => ({ kind: 'raw', value })), weight: 1 },
);

const handleRef: fc.Arbitrary<HandleRef> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(...PERSONAS), fc.boolean()).map(([persona, upper]): HandleRef => ({ kind: 'persona', persona, upper })), weight: 3 },
  { arbitrary: segment.map((value): HandleRef => ({ kind: 'raw', value })), weight: 2 },
);

const query: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(''), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('status', 'limit', 'x', 'status[]', ''), fc.oneof(fc.constantFrom('live', 'backstage', 'ended', '0', '-1', '101', '1e3', 'NaN', '5'), nastyString))
      .map(([k, v]) => `?${k}=${pctEncode(v.slice(0, 100))}`),
    weight: 2,
  },
  { arbitrary: fc.constantFrom('?status=live&status=backstage', '?limit=1&limit=2', '?&&=', '?%', '?limit=%zz', '?host=a%00b', '?host=%FF', '?ticket=%00', '?%00=1'), weight: 1 },
);

const routeTarget: fc.Arbitrary<Target> = fc
  .record({ route: fc.constantFrom(...ROUTE_IDS), room: roomRef, handle: handleRef, query })
  .map((r): Target => ({ kind: 'route', ...r }));

const rawTarget: fc.Arbitrary<Target> = fc
  .tuple(fc.constantFrom('', '/api', '/api/rooms', '/api/users', '/api/sessions', '/api/me', '/healthz', '/metrics', '/api/openapi.json'), fc.array(segment, { maxLength: 4 }), fc.boolean())
  .map(([prefix, segs, slash]): Target => ({ kind: 'raw', path: `${prefix}/${segs.join('/')}${slash ? '/' : ''}` }));

export const cookieChoice: fc.Arbitrary<CookieChoice> = fc.oneof(
  { arbitrary: fc.constantFrom(...PERSONAS).map((persona): CookieChoice => ({ kind: 'persona', persona })), weight: 10 },
  { arbitrary: fc.constant<CookieChoice>({ kind: 'none' }), weight: 1 },
  {
    arbitrary: fc
      .oneof(headerText(80).map((v) => `amphi_session=${v}`), headerText(120), fc.constantFrom('amphi_session=', 'amphi_session=%', 'amphi_session=%zz', `amphi_session=${'a'.repeat(201)}`, 'amphi_session=a; amphi_session=b', '=;=;'))
      .map((value): CookieChoice => ({ kind: 'raw', value })),
    weight: 1,
  },
);

export const originChoice: fc.Arbitrary<OriginChoice> = fc.oneof(
  { arbitrary: fc.constant<OriginChoice>('own'), weight: 12 },
  { arbitrary: fc.constantFrom<OriginChoice>('none', 'host'), weight: 2 },
  { arbitrary: fc.constantFrom<OriginChoice>('foreign', 'null', 'ownSlash', 'otherPort'), weight: 1 },
);

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  { arbitrary: fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'), weight: 1 },
);

export interface RequestArbs {
  /** room actions with random values, POSTed to a room's actions (mostly) */
  readonly actions: fc.Arbitrary<FuzzRequest>;
  /** every route, with other bodies or any JSON */
  readonly routes: fc.Arbitrary<FuzzRequest>;
  /** every route and raw paths, with bodies that are not JSON objects at all */
  readonly raw: fc.Arbitrary<FuzzRequest>;
  /** random paths and methods */
  readonly paths: fc.Arbitrary<FuzzRequest>;
}

export function requestArbs(realIds: readonly string[], handles: readonly string[]): RequestArbs {
  const base = { cookie: cookieChoice, origin: originChoice, contentType };
  const actionTarget = fc.oneof(
    { arbitrary: fc.record({ room: roomRef, handle: handleRef }).map((r): Target => ({ kind: 'route', route: 'roomAction', query: '', ...r })), weight: 9 },
    { arbitrary: routeTarget, weight: 1 },
  );
  return {
    actions: fc.record({
      ...base,
      target: actionTarget,
      method: fc.oneof({ arbitrary: fc.constant(null), weight: 12 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 }),
      body: someActionBody(realIds).map((value): BodySpec => ({ kind: 'json', value })),
    }),
    routes: fc.record({
      ...base,
      target: routeTarget,
      method: fc.constant(null),
      body: fc.oneof(
        { arbitrary: otherBodies(realIds, handles).map((value): BodySpec => ({ kind: 'json', value })), weight: 3 },
        { arbitrary: anyJson.map((value): BodySpec => ({ kind: 'json', value })), weight: 2 },
        { arbitrary: fc.constant<BodySpec>({ kind: 'none' }), weight: 1 },
      ),
    }),
    raw: fc.record({
      ...base,
      target: fc.oneof({ arbitrary: routeTarget, weight: 4 }, { arbitrary: rawTarget, weight: 1 }),
      method: fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 }),
      body: rawText.map((text): BodySpec => ({ kind: 'raw', text })),
    }),
    paths: fc.record({
      ...base,
      target: rawTarget,
      method: fc.constantFrom(...METHODS),
      body: fc.oneof(fc.constant<BodySpec>({ kind: 'none' }), actionBody(realIds).map((value): BodySpec => ({ kind: 'json', value }))),
    }),
  };
}

function roomId(cast: Cast, ref: RoomRef): string {
  if (ref.kind === 'state') return cast.rooms[ref.state];
  if (ref.kind === 'old') return cast.allRoomIds[ref.pick % cast.allRoomIds.length] ?? 'none';
  return ref.value;
}

function handle(cast: Cast, ref: HandleRef): string {
  if (ref.kind === 'raw') return ref.value;
  const h = cast.people[ref.persona].handle;
  return ref.upper ? h.toUpperCase() : h;
}

function pathOf(cast: Cast, t: Target): string {
  if (t.kind === 'raw') return t.path;
  return API_ROUTES[t.route].path.replace(':roomId', roomId(cast, t.room)).replace(':handle', handle(cast, t.handle)) + t.query;
}

/** the request as sent; `spareSession` supplies a throwaway cookie for sign-out requests */
export function resolve(cast: Cast, req: FuzzRequest, spareSession: () => string | null): ResolvedRequest {
  const method = req.method ?? (req.target.kind === 'route' ? API_ROUTES[req.target.route].method.toUpperCase() : 'GET');
  const path = pathOf(cast, req.target);
  const url = new URL(cast.server.url);
  const headers: Record<string, string> = {};
  const origins: Record<OriginChoice, string | null> = {
    none: null,
    own: cast.server.url,
    host: `http://${url.host}`,
    foreign: 'https://evil.example',
    null: 'null',
    ownSlash: `${cast.server.url}/`,
    otherPort: `http://${url.hostname}:${Number(url.port) === 1 ? 2 : 1}`,
  };
  const origin = origins[req.origin];
  if (origin !== null) headers['origin'] = origin;
  let cookie: string | null = req.cookie.kind === 'persona' ? cast.cookieOf(req.cookie.persona) : req.cookie.kind === 'raw' ? req.cookie.value : null;
  // signing a persona out would leave the cast without its people: sign out a spare session instead
  if (req.cookie.kind === 'persona' && method === 'DELETE' && path.includes('session')) cookie = spareSession();
  if (cookie !== null) headers['cookie'] = cookie;
  if (req.contentType !== null) headers['content-type'] = req.contentType;
  const body = method === 'GET' || method === 'HEAD' || req.body.kind === 'none' ? undefined : req.body.kind === 'json' ? JSON.stringify(req.body.value) : typeof req.body.text === 'string' ? req.body.text : new Uint8Array(req.body.text);
  return { method, path, headers, body };
}
