/**
 * @module session — who is signed in, for the whole app: loaded once from GET /api/me, changed by sign
 * up, sign in and sign out. The cookie itself is HttpOnly and never read here; this only mirrors what
 * the server says.
 */
import { forgetTicketOrigins } from '../api/listen-ticket.ts';
import type { SignInBody, SignUpBody } from '../../../src/protocol/api-schemas.ts';
import type { UserView } from '../../../src/protocol/api-views.ts';
import { isApiError } from '../api/api-error.ts';
import { api } from '../api/endpoints.ts';
import { Store, useStore } from '../store.ts';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signedOut' }
  | { readonly status: 'signedIn'; readonly user: UserView };

export const session = new Store<SessionState>({ status: 'loading' });

export async function loadSession(): Promise<void> {
  try {
    const { user } = await api.me();
    forgetTicketOrigins();
    session.set({ status: 'signedIn', user });
  } catch (err) {
    if (!(isApiError(err) && (err.code === 'unauthorized' || err.code === 'not_signed_in'))) {
      console.warn('could not load the session; showing the app signed out', err);
    }
    session.set({ status: 'signedOut' });
  }
}

export async function signUp(body: SignUpBody): Promise<UserView> {
  const { user } = await api.signUp(body);
  forgetTicketOrigins();
  session.set({ status: 'signedIn', user });
  return user;
}

export async function signIn(body: SignInBody): Promise<UserView> {
  const { user } = await api.signIn(body);
  forgetTicketOrigins();
  session.set({ status: 'signedIn', user });
  return user;
}

export async function signOut(): Promise<void> {
  await api.signOut();
  forgetTicketOrigins();
  session.set({ status: 'signedOut' });
}

export const useSession = (): SessionState => useStore(session);

/** the signed-in user, or null (also while loading) */
export function currentUser(s: SessionState): UserView | null {
  return s.status === 'signedIn' ? s.user : null;
}
