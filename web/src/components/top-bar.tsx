/**
 * @module top-bar — the app's header: the name (home link), "Start a room", the notification bell, and
 * who is signed in with a sign-out button, or the sign-in and sign-up links.
 */
import { useState } from 'react';
import { useSession } from '../auth/session.ts';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';
import { Avatar } from './avatar.tsx';
import { NotificationBell } from './notification-bell.tsx';
import { signOutAndGoHome } from './sign-out.ts';

export function TopBar() {
  const s = useSession();
  const [busy, setBusy] = useState(false);
  const out = async () => {
    setBusy(true);
    await signOutAndGoHome();
    setBusy(false);
  };
  return (
    <header className="top-bar">
      <Link to={paths.home()} className="brand" aria-label="Amphi, home">
        <span className="brand-mark" aria-hidden="true">
          <svg width="26" height="26" viewBox="0 0 32 32" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round">
            <path d="M6 24a10 10 0 0 1 20 0" />
            <path d="M11 24a5 5 0 0 1 10 0" />
            <circle cx="16" cy="24" r="1.5" fill="currentColor" />
          </svg>
        </span>
        Amphi
      </Link>
      <nav className="top-actions" aria-label="Account">
        {s.status === 'signedIn' && (
          <>
            <Link to={paths.createRoom()} className="btn btn-primary btn-small">
              Start a room
            </Link>
            <NotificationBell />
            <Link to={paths.profile(s.user.handle)} className="me-link" aria-label={`Your profile, ${s.user.displayName}`}>
              <Avatar user={s.user} size={32} />
            </Link>
            <button type="button" className="btn btn-ghost btn-small top-signout" onClick={() => void out()} disabled={busy}>
              Sign out
            </button>
          </>
        )}
        {s.status === 'signedOut' && (
          <>
            <Link to={paths.signIn()} className="btn btn-ghost btn-small">
              Sign in
            </Link>
            <Link to={paths.signUp()} className="btn btn-primary btn-small">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
