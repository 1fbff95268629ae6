/**
 * @module sign-out — signs out and goes home, saying in words when the server could not be reached.
 * Shared by the top bar (wide screens) and your own profile page (where phones find it).
 */
import { errorText } from '../api/error-text.ts';
import { signOut } from '../auth/session.ts';
import { navigate } from '../router/history.ts';
import { paths } from '../router/routes.ts';
import { showToast } from './toasts.tsx';

export async function signOutAndGoHome(): Promise<void> {
  try {
    await signOut();
    navigate(paths.home());
  } catch (err) {
    showToast(errorText(err), 'error');
  }
}
