/**
 * @module sign-in-guard — slows password guessing without handing anyone a way to lock another person
 * out. Attempts are counted in the store (a restart, or another node, sees the same counts) in fixed
 * windows, before the slow hash, so parallel guesses meet the limit too. Three counts: per address (one
 * address guessing many accounts), per account from one address (one address guessing one account),
 * and per account (many addresses guessing one account). The last never refuses an address that has
 * not failed on that account in the window: a guesser can exhaust it, but the owner signing in from
 * their own address still gets through. Never reads a password and never touches sockets.
 */
import type { Store } from '../store/types.ts';
import { AmphiError } from './errors.ts';

export interface SignInGuardLimits {
  /** failures per account from one address; also the account-wide count above which addresses that failed wait */
  readonly perAccount: { readonly max: number; readonly windowMs: number };
  /** failures per address, over all accounts */
  readonly perAddress: { readonly max: number; readonly windowMs: number };
}

/** what a successful sign-in calls to take its attempt back */
export type Release = () => Promise<void>;

export class SignInGuard {
  readonly #store: Store;
  readonly #limits: SignInGuardLimits;
  #lastPrune = 0;

  constructor(store: Store, limits: SignInGuardLimits) {
    this.#store = store;
    this.#limits = limits;
  }

  /** counts this attempt; throws `rate_limited` (with Retry-After) when it must wait, else gives back a release */
  async admit(handle: string, address: string, now: number): Promise<Release> {
    const account = handle.toLowerCase();
    const { perAccount, perAddress } = this.#limits;
    await this.#prune(now);
    const subjects = { address: `address ${address}`, account: `account ${account}`, pair: `pair ${account} ${address}` };
    const [byAddress, byAccount, byPair] = await Promise.all([
      this.#store.countSignInAttempt(subjects.address, now, perAddress.windowMs),
      this.#store.countSignInAttempt(subjects.account, now, perAccount.windowMs),
      this.#store.countSignInAttempt(subjects.pair, now, perAccount.windowMs),
    ]);
    const waits: number[] = [];
    if (byAddress.attempts > perAddress.max) waits.push(byAddress.startedAt + perAddress.windowMs - now);
    if (byPair.attempts > perAccount.max) waits.push(byPair.startedAt + perAccount.windowMs - now);
    // the account is being guessed from many addresses: this address may go on only if this is its first try
    if (byAccount.attempts > perAccount.max && byPair.attempts > 1) waits.push(byAccount.startedAt + perAccount.windowMs - now);
    if (waits.length > 0) throw AmphiError.rateLimited(Math.max(1, Math.ceil(Math.max(...waits) / 1000)), 'failed sign-ins');
    return async () => {
      await this.#store.clearSignInAttempts(subjects.pair);
      await this.#store.uncountSignInAttempt(subjects.account);
      await this.#store.uncountSignInAttempt(subjects.address);
    };
  }

  /** windows that ended are dropped once per window, so the table holds only what can still refuse */
  async #prune(now: number): Promise<void> {
    const longest = Math.max(this.#limits.perAccount.windowMs, this.#limits.perAddress.windowMs);
    if (now - this.#lastPrune < longest) return;
    this.#lastPrune = now;
    await this.#store.pruneSignInAttempts(now - longest);
  }
}
