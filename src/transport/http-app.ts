/**
 * @module http-app — assembles the HTTP side of Amphi on Hono: body limit, same-origin check and a
 * JSON-only body (415 otherwise) on every state-changing request, session lookup, the API routes,
 * health, metrics, OpenAPI and the web app. Turns every error into the JSON error body with the right
 * status (the database out of reach: 503 with Retry-After); an unexpected one is logged and answered
 * 500 `internal` without details. Thin: no rule and
 * no query lives here.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Logger } from 'pino';
import type { AccountService } from '../control/account-service.ts';
import { AmphiError, publicError } from '../control/errors.ts';
import type { Metrics } from '../control/metrics.ts';
import type { RoomService } from '../control/room-service.ts';
import type { NotifyStack } from '../control/notify-stack.ts';
import type { Next } from 'hono';
import type { AppContext, AppEnv } from './app-env.ts';
import { registerListenRoutes } from './routes-listen.ts';
import type { OggBroadcast } from '../delivery/ogg-broadcast.ts';
import type { Revocations } from '../bus/revocations.ts';
import type { RoomId } from '../domain/ids.ts';
import { errorBody, STATUS_OF } from './error-status.ts';
import { buildOpenApi } from './openapi.ts';
import { sameOriginCheck } from './same-origin.ts';
import { requireJsonBody } from './request-input.ts';
import { registerAccountRoutes, SESSION_COOKIE } from './routes-accounts.ts';
import { registerRoomRoutes } from './routes-rooms.ts';
import { registerAdminRoutes, type AdminDeps } from './routes-admin.ts';
import { registerNotificationRoutes } from './routes-notifications.ts';
import { registerScheduleRoutes } from './routes-schedule.ts';
import { registerWebApp } from './web-app.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpAppDeps {
  readonly accounts: AccountService;
  readonly rooms: RoomService;
  /** scheduling, notifications and the per-user event stream; their routes are left out without it */
  readonly notify?: NotifyStack;
  readonly metrics: Metrics;
  readonly ogg: OggBroadcast;
  readonly log: Logger;
  readonly publicUrl: string;
  /** whether AMPHI_PUBLIC_URL was given: then only its origin may change state (same-origin.ts) */
  readonly publicUrlSet: boolean;
  /** where browsers open the listener sockets, from the Host the request came to (see listener-origin.ts) */
  readonly listenerOrigin: (requestHost: string | undefined) => string;
  /** the listener origin of another edge an admitted listener should use (edge-router.ts); null or left out: this node */
  readonly edgeFor?: (roomId: RoomId, avoid: string | null) => string | null;
  /** where signed-out listeners may ask for their next ticket (the listener port), or null */
  readonly ticketOrigin: (requestHost: string | undefined) => string | null;
  /** where signed-out listeners join directly, for index.html (listener-origin.ts directOriginFor); null: tickets only */
  readonly directOrigin?: () => string | null;
  readonly version: string;
  /** removals and blocks: a signed-in person's Ogg stream ends with them */
  readonly revocations: Revocations;
  readonly now: () => number;
  readonly health: () => Promise<{ ok: boolean; store: string }>;
  /** the operators' calls (routes-admin.ts); a null token: there are none */
  readonly admin: AdminDeps;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function buildHttpApp(d: HttpAppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const openApi = JSON.stringify(buildOpenApi(d.publicUrl, d.version));
  const originAllowed = sameOriginCheck(d);

  app.onError((err, c) => {
    // a database outage is 503 unavailable here and logged by the store once, not once per request
    const known = publicError(err);
    if (known !== null) {
      d.metrics.errors.inc({ code: known.code });
      if (known.extra.retryAfterSeconds !== undefined) c.header('Retry-After', String(known.extra.retryAfterSeconds));
      return c.json(errorBody(known.code, known.message, known.extra.field), STATUS_OF[known.code] as 400);
    }
    d.metrics.errors.inc({ code: 'internal' });
    d.log.error({ err, path: c.req.path, method: c.req.method }, 'unexpected error in request');
    return c.json(errorBody('internal', 'Something went wrong on our side. Try again.'), 500);
  });
  app.notFound((c) => c.json(errorBody('not_found', `Nothing at ${c.req.method} ${c.req.path}.`), 404));

  app.use('*', async (c, next) => {
    await next();
    d.metrics.httpRequests.inc({ method: c.req.method, status: String(c.res.status) });
  });

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      // the rest of an oversized body is not read, so the socket cannot carry another request: say so
      onError: (c) => c.json(errorBody('payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`), 413, { connection: 'close' }),
    }),
  );

  const session = async (c: AppContext, next: Next) => {
    if (!SAFE_METHODS.has(c.req.method) && !originAllowed(c.req.header('origin'), c.req.header('host'))) {
      throw new AmphiError('bad_origin', 'This request came from another site and was refused.');
    }
    if (!SAFE_METHODS.has(c.req.method)) requireJsonBody(c.req.raw.headers);
    let address = 'unknown';
    try {
      address = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // not a Node socket (app.request() in tests): every request shares one address bucket
    }
    c.set('address', address);
    c.set('user', await d.accounts.authenticate(getCookie(c, SESSION_COOKIE)));
    await next();
  };
  app.use('/api/*', session);
  app.use('/rooms/:roomId/live.ogg', session);

  registerAccountRoutes(app, d.accounts, d.publicUrl.startsWith('https:'));
  registerRoomRoutes(app, d.rooms);
  registerAdminRoutes(app, d.admin);
  if (d.notify) {
    registerScheduleRoutes(app, d.notify.schedules);
    registerNotificationRoutes(app, d.notify.notifications, d.notify.channels);
  }
  registerListenRoutes(app, d.rooms, d.ogg, d.listenerOrigin, d.ticketOrigin, d.revocations, d.now, d.edgeFor ?? (() => null));

  app.get('/api/openapi.json', (c) => c.body(openApi, 200, { 'content-type': 'application/json' }));
  app.get('/healthz', async (c) => {
    const h = await d.health();
    return c.json(h, h.ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await d.metrics.registry.metrics(), 200, { 'content-type': d.metrics.registry.contentType }));

  registerWebApp(app, d.directOrigin);
  return app;
}
