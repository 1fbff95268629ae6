/**
 * @module routes-accounts — HTTP handlers for sign-up, sign-in/out, the current account, profiles,
 * follows and blocks. Sets and clears the HttpOnly SameSite session cookie; everything else is the
 * account service's.
 */
import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AccountService } from '../control/account-service.ts';
import { SESSION_TTL_MS, userView } from '../control/account-service.ts';
import { SignInBody, SignUpBody } from '../protocol/api-schemas.ts';
import { on, param, requireUser, type AppContext, type AppEnv } from './app-env.ts';
import { readJson, validate } from './request-input.ts';

export const SESSION_COOKIE = 'amphi_session';

export function registerAccountRoutes(app: Hono<AppEnv>, accounts: AccountService, secureCookies: boolean): void {
  const startSession = (c: AppContext, token: string) =>
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies,
      path: '/',
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });

  on(app, 'signUp', async (c) => {
    const body = validate(SignUpBody, await readJson(c.req));
    const { user, token } = await accounts.signUp(body, c.get('address'));
    startSession(c, token);
    return c.json({ user }, 201);
  });

  on(app, 'signIn', async (c) => {
    const body = validate(SignInBody, await readJson(c.req));
    const { user, token } = await accounts.signIn(body, c.get('address'));
    startSession(c, token);
    return c.json({ user });
  });

  on(app, 'signOut', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await accounts.signOut(token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  on(app, 'me', async (c) => c.json({ user: userView(requireUser(c)) }));

  on(app, 'profile', async (c) => c.json(await accounts.profile(param(c, 'handle'), c.get('user'))));
  on(app, 'follow', async (c) => c.json(await accounts.follow(requireUser(c), param(c, 'handle'), true)));
  on(app, 'unfollow', async (c) => c.json(await accounts.follow(requireUser(c), param(c, 'handle'), false)));
  on(app, 'block', async (c) => c.json(await accounts.block(requireUser(c), param(c, 'handle'), true)));
  on(app, 'unblock', async (c) => c.json(await accounts.block(requireUser(c), param(c, 'handle'), false)));
}
