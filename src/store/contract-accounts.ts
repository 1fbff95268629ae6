/**
 * @module store/contract-accounts — the accounts part of the Store contract: users (handles unique in
 * any letter case), sessions (expiry), follows and blocks (idempotent, one direction). Test code only;
 * must never be imported by production code.
 */
import { describe, expect, it } from 'vitest';
import { T0, user, userId } from './fixtures.test-helper.ts';
import { storeError } from './contract-helpers.ts';
import type { ContractStores } from './contract-helpers.ts';

export function accountsContract({ fresh, reopen }: ContractStores): void {
  describe('users', () => {
    it('stores a user and finds it by id and by handle in any letter case', async () => {
      const store = await fresh();
      await store.createUser(user(1, 'DrumLine'));
      expect(await store.getUser(userId(1))).toEqual({
        id: userId(1),
        handle: 'DrumLine',
        displayName: 'Person 1',
        createdAt: T0,
      });
      expect(await store.getUserByHandle('drumline')).toEqual(user(1, 'DrumLine'));
      expect(await store.getUserByHandle('DRUMLINE')).toEqual(user(1, 'DrumLine'));
      expect(await store.getUser(userId(2))).toBeNull();
      expect(await store.getUserByHandle('nobody')).toBeNull();
    });

    it('refuses a handle taken in another letter case with handle_taken and keeps the first account', async () => {
      const store = await fresh();
      await store.createUser(user(1, 'DrumLine'));
      const before = await store.snapshot();
      const error = await storeError(store.createUser(user(2, 'dRUMLINE')));
      expect(error.code).toBe('handle_taken');
      expect(await store.snapshot()).toEqual(before);
      expect((await store.getUserByHandle('drumline'))?.id).toBe(userId(1));
    });

    it('returns the users asked for, in the order asked, leaving out unknown ids', async () => {
      const store = await fresh();
      for (const n of [1, 2, 3]) await store.createUser(user(n));
      const found = await store.getUsers([userId(3), userId(9), userId(1), userId(3)]);
      expect(found.map((u) => u.id)).toEqual([userId(3), userId(1)]);
      expect(found[0]).not.toHaveProperty('passwordHash');
      expect(await store.getUsers([])).toEqual([]);
    });
  });

  describe('sessions', () => {
    it('returns a session until the moment it expires, and never after it is deleted', async () => {
      const store = await fresh();
      await store.createUser(user(1));
      const session = { tokenHash: 'sha256-a', userId: userId(1), createdAt: T0, expiresAt: T0 + 1_000 };
      await store.createSession(session);
      expect(await store.getSession('sha256-a', T0 + 999)).toEqual(session);
      expect(await store.getSession('sha256-a', T0 + 1_000)).toBeNull();
      expect(await store.getSession('sha256-b', T0)).toBeNull();
      await store.deleteSession('sha256-a');
      expect(await store.getSession('sha256-a', T0)).toBeNull();
      await expect(store.deleteSession('sha256-a')).resolves.toBeUndefined();
    });

    it('refuses a session for an unknown user with not_found', async () => {
      const store = await fresh();
      const error = await storeError(
        store.createSession({ tokenHash: 'h', userId: userId(404), createdAt: T0, expiresAt: T0 + 1 }),
      );
      expect(error.code).toBe('not_found');
    });
  });

  describe('follows and blocks', () => {
    it('counts follows once however often they are made, in one direction only, until unfollowed', async () => {
      const store = await fresh();
      for (const n of [1, 2, 3]) await store.createUser(user(n));
      await store.follow(userId(1), userId(2), T0);
      await store.follow(userId(1), userId(2), T0 + 5);
      await store.follow(userId(3), userId(2), T0);
      expect(await store.isFollowing(userId(1), userId(2))).toBe(true);
      expect(await store.isFollowing(userId(2), userId(1))).toBe(false);
      expect(await store.followCounts(userId(2))).toEqual({ followers: 2, following: 0 });
      expect(await store.followCounts(userId(1))).toEqual({ followers: 0, following: 1 });
      await store.unfollow(userId(1), userId(2));
      await store.unfollow(userId(1), userId(2));
      expect(await store.isFollowing(userId(1), userId(2))).toBe(false);
      expect(await store.followCounts(userId(2))).toEqual({ followers: 1, following: 0 });
    });

    it('refuses to follow an unknown user with not_found', async () => {
      const store = await fresh();
      await store.createUser(user(1));
      expect((await storeError(store.follow(userId(1), userId(404), T0))).code).toBe('not_found');
    });

    it('keeps a block once however often it is made, in one direction only, until unblocked', async () => {
      const store = await fresh();
      for (const n of [1, 2]) await store.createUser(user(n));
      await store.block(userId(1), userId(2), T0);
      await store.block(userId(1), userId(2), T0 + 1);
      expect(await store.isBlocked(userId(1), userId(2))).toBe(true);
      expect(await store.isBlocked(userId(2), userId(1))).toBe(false);
      expect((await store.snapshot())['blocks']).toHaveLength(1);
      await store.unblock(userId(1), userId(2));
      expect(await store.isBlocked(userId(1), userId(2))).toBe(false);
    });
  });

  describe('sign-in attempts', () => {
    const WINDOW = 60_000;

    it('counts attempts per subject in a fixed window, and starts a new window once it has ended', async () => {
      const store = await fresh();
      expect(await store.countSignInAttempt('a', T0, WINDOW)).toEqual({ startedAt: T0, attempts: 1 });
      expect(await store.countSignInAttempt('a', T0 + 10, WINDOW)).toEqual({ startedAt: T0, attempts: 2 });
      expect(await store.countSignInAttempt('b', T0 + 20, WINDOW)).toEqual({ startedAt: T0 + 20, attempts: 1 });
      expect(await store.countSignInAttempt('a', T0 + WINDOW, WINDOW)).toEqual({ startedAt: T0 + WINDOW, attempts: 1 });
    });

    it('counts parallel attempts one each, takes one back, clears a subject and prunes old windows', async () => {
      const store = await fresh();
      const counts = await Promise.all(Array.from({ length: 8 }, () => store.countSignInAttempt('x', T0, WINDOW)));
      expect(counts.map((c) => c.attempts).sort((p, q) => p - q)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await store.uncountSignInAttempt('x');
      expect((await store.countSignInAttempt('x', T0, WINDOW)).attempts).toBe(8);
      await store.clearSignInAttempts('x');
      expect((await store.countSignInAttempt('x', T0 + 5, WINDOW)).attempts).toBe(1);
      await store.countSignInAttempt('old', T0 - WINDOW, WINDOW);
      await store.pruneSignInAttempts(T0 - 1);
      expect((await store.snapshot())['sign_in_attempts']?.map((r) => (r as { subject: string }).subject)).toEqual(['x']);
    });

    it('keeps the count when the store is opened again', async () => {
      const store = await fresh();
      for (let i = 0; i < 3; i++) await store.countSignInAttempt('kept', T0, WINDOW);
      await store.close();
      const again = await reopen();
      expect(await again.countSignInAttempt('kept', T0 + 1, WINDOW)).toEqual({ startedAt: T0, attempts: 4 });
    });
  });
}
