/**
 * @module home-page — rooms live now, busiest and newest first (the server's order), refreshed every
 * 10 seconds while the tab is visible and at once when a notification says a room went live, with "Start a room" on top; for a signed-in person, below them,
 * the rooms that hosts they follow scheduled ahead.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RoomView } from '../../../src/protocol/api-views.ts';
import { api } from '../api/endpoints.ts';
import { errorText } from '../api/error-text.ts';
import { currentUser, useSession } from '../auth/session.ts';
import { RoomCard } from '../components/room-card.tsx';
import { ScheduledRooms } from '../components/scheduled-rooms.tsx';
import { notificationSinks } from '../notify/user-events.ts';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';

const REFRESH_MS = 10_000;

type Load = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly rooms: readonly RoomView[] } | { readonly kind: 'failed'; readonly message: string };

export function HomePage() {
  const s = useSession();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const refresh = useCallback(async () => {
    try {
      const { rooms } = await api.listRooms('live');
      setLoad({ kind: 'ready', rooms });
    } catch (err) {
      // keep showing the last list when a refresh fails; say so only when there is nothing to show
      setLoad((prev) => (prev.kind === 'ready' ? prev : { kind: 'failed', message: errorText(err) }));
    }
  }, []);
  useEffect(() => {
    void refresh();
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    const onShow = () => document.visibilityState === 'visible' && void refresh();
    document.addEventListener('visibilitychange', onShow);
    const onNotice = () => void refresh();
    notificationSinks.add(onNotice);
    return () => {
      notificationSinks.delete(onNotice);
      clearInterval(t);
      document.removeEventListener('visibilitychange', onShow);
    };
  }, [refresh]);

  const me = currentUser(s);
  const startTo = s.status === 'signedIn' ? paths.createRoom() : paths.signIn(paths.createRoom());
  return (
    <div className="page">
      <section className="hero">
        <div>
          <h1>Live now</h1>
          <p className="muted-text">Drop in and listen: no account needed. Sign in to raise your hand, react or start your own room.</p>
        </div>
        <Link to={startTo} className="btn btn-primary">
          Start a room
        </Link>
      </section>
      {load.kind === 'loading' && <p className="muted-text" role="status">Looking for live rooms…</p>}
      {load.kind === 'failed' && (
        <div className="notice notice-error" role="alert">
          <p>{load.message}</p>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      )}
      {load.kind === 'ready' && load.rooms.length === 0 && (
        <div className="empty">
          <p className="empty-title">No rooms are live right now.</p>
          <p className="muted-text">Start one and share the link: people can listen from any browser.</p>
        </div>
      )}
      {load.kind === 'ready' && load.rooms.length > 0 && (
        <ul className="room-list" aria-label="Live rooms">
          {load.rooms.map((r) => (
            <RoomCard key={r.id} room={r} />
          ))}
        </ul>
      )}
      {me && <ScheduledRooms key={me.id} heading="Coming up from people you follow" load={api.scheduledFollowing} myId={me.id} hideWhenEmpty />}
    </div>
  );
}
