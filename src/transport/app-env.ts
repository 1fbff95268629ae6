/**
 * @module app-env — what every HTTP handler can reach: the signed-in user of the request (or null), and
 * a helper that registers a handler on the method and path of its row in protocol's route table, so
 * the OpenAPI document and the server never disagree.
 */
import type { Context, Hono } from 'hono';
import { API_ROUTES, type RouteId } from '../protocol/api-routes.ts';
import type { User } from '../store/types.ts';
import { AmphiError } from '../control/errors.ts';
import { checkParam } from './request-input.ts';

export interface AppEnv {
  Variables: { user: User | null; address: string };
}

export type AppContext = Context<AppEnv>;

export function on(app: Hono<AppEnv>, id: RouteId, handler: (c: AppContext) => Promise<Response>): void {
  const spec = API_ROUTES[id];
  app.on(spec.method.toUpperCase(), spec.path, async (c) => {
    if (spec.auth === 'required' && c.get('user') === null) throw AmphiError.unauthorized();
    return handler(c);
  });
}

export function requireUser(c: AppContext): User {
  const user = c.get('user');
  if (user === null) throw AmphiError.unauthorized();
  return user;
}

/** what a path parameter names: an absent or over-long one answers the same not-found code as an unknown one */
const NOT_FOUND = { roomId: AmphiError.roomNotFound, handle: AmphiError.userNotFound } as const;

/** a path parameter that must be present, short (ids and handles are) and text Amphi accepts */
export function param(c: AppContext, name: keyof typeof NOT_FOUND): string {
  const v = c.req.param(name);
  if (v === undefined || v.length === 0 || v.length > 64) throw NOT_FOUND[name]();
  return checkParam(name, v);
}
