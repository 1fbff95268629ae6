/**
 * @module http — the fetch wrapper: calls one route of the server's route table (src/protocol/
 * api-routes.ts) with its path parameters filled in, sends JSON, and turns every failure (offline, a
 * JSON error body, an unreadable answer) into an ApiError. The session cookie travels by itself
 * (same origin); nothing here stores credentials.
 */
import { API_ROUTES, type RouteId } from '../../../src/protocol/api-routes.ts';
import { ApiError } from './api-error.ts';

const TIMEOUT_MS = 15_000;

/** fills `:name` segments of a route's path; values are URL-encoded */
export function routePath(id: RouteId, params: Readonly<Record<string, string>> = {}, query?: Readonly<Record<string, string>>): string {
  const path = API_ROUTES[id].path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new TypeError(`route ${id} needs the parameter ${name}`);
    return encodeURIComponent(v);
  });
  const qs = query ? new URLSearchParams(query).toString() : '';
  return qs === '' ? path : `${path}?${qs}`;
}

function readError(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const e = (body as { error: unknown }).error;
    if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
      const message = 'message' in e && typeof e.message === 'string' ? e.message : '';
      const field = 'field' in e && typeof e.field === 'string' ? e.field : undefined;
      return new ApiError(e.code, message, field === undefined ? { status } : { status, field });
    }
  }
  return ApiError.badResponse(status);
}

/** calls a route and resolves with its JSON answer (undefined for 204); rejects with ApiError only */
export async function call<T>(id: RouteId, opts: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; origin?: string } = {}): Promise<T> {
  const spec = API_ROUTES[id];
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    // another origin (the listener port) gets no cookie: only signed-out calls go there
    res = await fetch((opts.origin ?? '') + routePath(id, opts.params, opts.query), {
      method: spec.method.toUpperCase(),
      credentials: opts.origin === undefined ? 'same-origin' : 'omit',
      headers: opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
      signal: ctl.signal,
    });
  } catch (err) {
    throw ctl.signal.aborted ? ApiError.timeout() : ApiError.network(err);
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return undefined as T;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw ApiError.badResponse(res.status);
  }
  if (!res.ok) throw readError(res.status, body);
  return body as T;
}
