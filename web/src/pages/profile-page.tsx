/**
 * @module profile-page — a person: name, handle, followers and following, and for a signed-in visitor
 * Follow / Following and Block (with a confirmation). Signed-out visitors are offered sign-in instead.
 * Below: the rooms this person scheduled ahead (reminders for visitors; start, edit, cancel for them).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ProfileView } from '../../../src/protocol/api-views.ts';
import { api } from '../api/endpoints.ts';
import { errorText } from '../api/error-text.ts';
import { currentUser, useSession } from '../auth/session.ts';
import { Avatar } from '../components/avatar.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { ConfirmDialog } from '../components/modal.tsx';
import { formatCount } from '../components/room-card.tsx';
import { ScheduledRooms } from '../components/scheduled-rooms.tsx';
import { signOutAndGoHome } from '../components/sign-out.ts';
import { showToast } from '../components/toasts.tsx';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';

type Load = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly profile: ProfileView } | { readonly kind: 'failed'; readonly message: string };

export function ProfilePage({ handle }: { handle: string }) {
  const s = useSession();
  const me = currentUser(s);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [confirmBlock, setConfirmBlock] = useState(false);
  const userKey = me?.id ?? null;
  const loadScheduled = useCallback(() => api.scheduledByHost(handle), [handle]);
  useEffect(() => {
    let live = true;
    api.profile(handle).then(
      (profile) => live && setLoad({ kind: 'ready', profile }),
      (err: unknown) => live && setLoad({ kind: 'failed', message: errorText(err) }),
    );
    return () => {
      live = false;
    };
  }, [handle, userKey]);

  if (load.kind === 'loading') return <div className="page" role="status">Loading profile…</div>;
  if (load.kind === 'failed')
    return (
      <div className="page">
        <ErrorPanel title="Profile not available">
          <p>{load.message}</p>
        </ErrorPanel>
      </div>
    );
  const p = load.profile;
  const isMe = me?.id === p.user.id;
  const act = async (fn: (h: string) => Promise<ProfileView>, done: string) => {
    setBusy(true);
    try {
      setLoad({ kind: 'ready', profile: await fn(p.user.handle) });
      showToast(done);
    } catch (err) {
      showToast(errorText(err), 'error');
    } finally {
      setBusy(false);
      setConfirmBlock(false);
    }
  };
  return (
    <div className="page page-narrow">
      <section className="card profile">
        <Avatar user={p.user} size={96} />
        <h1 className="profile-name">{p.user.displayName}</h1>
        <p className="muted-text">@{p.user.handle}</p>
        <p className="profile-counts">
          <span>
            <strong>{formatCount(p.followers)}</strong> followers
          </span>
          <span>
            <strong>{formatCount(p.following)}</strong> following
          </span>
        </p>
        {isMe && (
          <>
            <p className="muted-text">This is your profile.</p>
            <button type="button" className="btn btn-ghost" onClick={() => void signOutAndGoHome()}>
              Sign out
            </button>
          </>
        )}
        {!isMe && me === null && s.status !== 'loading' && (
          <Link to={paths.signIn(paths.profile(p.user.handle))} className="btn btn-primary">
            Sign in to follow
          </Link>
        )}
        {!isMe && me !== null && (
          <div className="profile-actions">
            {p.followedByMe ? (
              <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void act(api.unfollow, `You unfollowed ${p.user.displayName}`)} aria-label={`Unfollow ${p.user.displayName}`}>
                Following
              </button>
            ) : (
              <button type="button" className="btn btn-primary" disabled={busy || p.blockedByMe === true} onClick={() => void act(api.follow, `You follow ${p.user.displayName}`)}>
                Follow
              </button>
            )}
            {p.blockedByMe ? (
              <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void act(api.unblock, `You unblocked ${p.user.displayName}`)}>
                Unblock
              </button>
            ) : (
              <button type="button" className="btn btn-ghost danger-text" disabled={busy} onClick={() => setConfirmBlock(true)}>
                Block
              </button>
            )}
          </div>
        )}
      </section>
      <ScheduledRooms key={userKey ?? 'signed-out'} heading="Scheduled" load={loadScheduled} myId={userKey} emptyText={isMe ? 'Nothing scheduled. Start a room and choose "Schedule for later".' : undefined} hideWhenEmpty={!isMe} />
      {confirmBlock && (
        <ConfirmDialog
          title={`Block ${p.user.displayName}?`}
          message={<p>They will not be able to join rooms you host or ask to speak in them.</p>}
          confirmLabel="Block"
          danger
          busy={busy}
          onConfirm={() => void act(api.block, `You blocked ${p.user.displayName}`)}
          onCancel={() => setConfirmBlock(false)}
        />
      )}
    </div>
  );
}
