/**
 * @module account-service — sign up, sign in and out, profiles, follows and blocks. Sessions are random
 * tokens handed to the browser in a cookie; the store keeps only their SHA-256, so a stolen database
 * holds no usable session. Failed sign-ins are limited by sign-in-guard.ts, with counts kept in the
 * store; sign-ups per address in memory. Never decides a room rule and never touches sockets.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { asUserId, type UserId } from '../domain/ids.ts';
import type { SignInBody, SignUpBody } from '../protocol/api-schemas.ts';
import type { ProfileView, UserView } from '../protocol/api-views.ts';
import { WindowLimiter } from '../lib/window-limiter.ts';
import { SignInGuard, type SignInGuardLimits } from './sign-in-guard.ts';
import { StoreError, type Store, type User } from '../store/types.ts';
import type { BlockCache } from './block-cache.ts';
import { AmphiError } from './errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600_000;

export interface SignInLimits extends SignInGuardLimits {
  /** accounts created per address: each costs a 16 MiB scrypt hash */
  readonly signUpsPerAddress: { readonly max: number; readonly windowMs: number };
}

export const DEFAULT_LIMITS: SignInLimits = {
  perAccount: { max: 5, windowMs: 15 * 60_000 },
  perAddress: { max: 30, windowMs: 15 * 60_000 },
  signUpsPerAddress: { max: 20, windowMs: 60 * 60_000 },
};

export const userView = (u: User): UserView => ({ id: u.id, handle: u.handle, displayName: u.displayName });

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** a password hash to compare against when the handle does not exist, so timing does not reveal accounts */
const DUMMY_HASH = hashPassword('not-a-real-password-at-all');

export class AccountService {
  readonly #store: Store;
  readonly #blocks: BlockCache;
  readonly #now: () => number;
  readonly #guard: SignInGuard;
  readonly #signUps: WindowLimiter;

  constructor(store: Store, now: () => number, blocks: BlockCache, limits: SignInLimits = DEFAULT_LIMITS) {
    this.#store = store;
    this.#blocks = blocks;
    this.#now = now;
    this.#guard = new SignInGuard(store, limits);
    this.#signUps = new WindowLimiter(limits.signUpsPerAddress);
  }

  async signUp(body: SignUpBody, address: string): Promise<{ user: UserView; token: string }> {
    const now = this.#now();
    const wait = this.#signUps.retryAfterMs(address, now);
    if (wait > 0) throw AmphiError.rateLimited(Math.ceil(wait / 1000), 'new accounts from your address');
    this.#signUps.hit(address, now);
    const id = asUserId(randomUUID());
    try {
      await this.#store.createUser({
        id,
        handle: body.handle,
        displayName: body.displayName.trim(),
        passwordHash: await hashPassword(body.password),
        createdAt: this.#now(),
      });
    } catch (err) {
      if (err instanceof StoreError && err.code === 'handle_taken') {
        throw new AmphiError('handle_taken', `The handle @${body.handle} is taken. Pick another.`, { field: 'handle' });
      }
      throw err;
    }
    const token = await this.#newSession(id);
    return { user: { id, handle: body.handle, displayName: body.displayName.trim() }, token };
  }

  async signIn(body: SignInBody, address: string): Promise<{ user: UserView; token: string }> {
    // counted before the slow hash, so parallel guesses meet the limit too; a success gives it back
    const release = await this.#guard.admit(body.handle, address, this.#now());
    const user = await this.#store.getUserByHandle(body.handle);
    const ok = user ? await verifyPassword(body.password, user.passwordHash) : (await verifyPassword(body.password, await DUMMY_HASH), false);
    if (!user || !ok) throw new AmphiError('bad_credentials', 'That handle and password do not match.');
    await release();
    return { user: userView(user), token: await this.#newSession(user.id) };
  }

  async signOut(token: string): Promise<void> {
    await this.#store.deleteSession(hashToken(token));
  }

  /** the signed-in user for a session token, or null */
  async authenticate(token: string | undefined): Promise<User | null> {
    if (!token || token.length > 200) return null;
    const session = await this.#store.getSession(hashToken(token), this.#now());
    return session ? this.#store.getUser(session.userId) : null;
  }

  async profile(handle: string, viewer: User | null): Promise<ProfileView> {
    const user = await this.#requireHandle(handle);
    const counts = await this.#store.followCounts(user.id);
    const other = viewer && viewer.id !== user.id ? viewer : null;
    return {
      user: userView(user),
      followers: counts.followers,
      following: counts.following,
      followedByMe: other ? await this.#store.isFollowing(other.id, user.id) : null,
      blockedByMe: other ? await this.#store.isBlocked(other.id, user.id) : null,
    };
  }

  async follow(viewer: User, handle: string, on: boolean): Promise<ProfileView> {
    const user = await this.#requireHandle(handle);
    if (user.id === viewer.id) throw new AmphiError('cannot_target_self', 'You cannot follow yourself.');
    if (on) await this.#store.follow(viewer.id, user.id, this.#now());
    else await this.#store.unfollow(viewer.id, user.id);
    return this.profile(handle, viewer);
  }

  async block(viewer: User, handle: string, on: boolean): Promise<ProfileView> {
    const user = await this.#requireHandle(handle);
    if (user.id === viewer.id) throw new AmphiError('cannot_target_self', 'You cannot block yourself.');
    if (on) await this.#store.block(viewer.id, user.id, this.#now());
    else await this.#store.unblock(viewer.id, user.id);
    this.#blocks.changed(viewer.id, user.id, on);
    return this.profile(handle, viewer);
  }

  async #requireHandle(handle: string): Promise<User> {
    const user = handle.length <= 15 ? await this.#store.getUserByHandle(handle) : null;
    if (!user) throw AmphiError.userNotFound();
    return { id: user.id, handle: user.handle, displayName: user.displayName, createdAt: user.createdAt };
  }

  async #newSession(userId: UserId): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.#now();
    await this.#store.createSession({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt: now + SESSION_TTL_MS });
    return token;
  }
}
