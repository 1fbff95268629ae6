/**
 * @module routes-admin — the operators' calls, guarded by AMPHI_ADMIN_TOKEN as a bearer token (no
 * session: an operator's script, a deploy hook, a load balancer's pre-stop). Today one: drain this node.
 * Without a token configured the calls do not exist (404); a wrong or missing token is 401, compared in
 * constant time. It never decides how to drain (control/drain.ts does) and never logs the token.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { AmphiError } from '../control/errors.ts';
import type { DrainView } from '../protocol/api-views.ts';
import { on, type AppContext, type AppEnv } from './app-env.ts';

export interface AdminDeps {
  /** AMPHI_ADMIN_TOKEN, or null: no admin calls on this node */
  readonly token: string | null;
  /** drains this node; rejects with single_node where there is nowhere to send anyone */
  readonly drain: () => Promise<DrainView>;
}

/** digests of equal length, so the comparison takes the same time whatever was sent */
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function requireAdmin(c: AppContext, token: string | null): void {
  if (token === null) throw new AmphiError('not_found', 'There are no admin calls on this node: set AMPHI_ADMIN_TOKEN to enable them.');
  const sent = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
  if (!timingSafeEqual(digest(sent), digest(token))) throw new AmphiError('unauthorized', 'This call needs the admin token: Authorization: Bearer AMPHI_ADMIN_TOKEN.');
}

export function registerAdminRoutes(app: Hono<AppEnv>, admin: AdminDeps): void {
  on(app, 'drainNode', async (c) => {
    requireAdmin(c, admin.token);
    return c.json(await admin.drain());
  });
}
