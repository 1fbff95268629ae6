/**
 * @module notification-bell — the bell in the top bar: the unread count from the live channel, and on
 * a click the list of notifications (newest first), each a link to its room. Opening the list marks
 * everything in it read; the items keep their "new" look until it closes, so people see what was new.
 */
import { useEffect, useRef, useState } from 'react';
import type { NotificationView } from '../../../src/protocol/notify-views.ts';
import { api } from '../api/endpoints.ts';
import { currentUser, useSession } from '../auth/session.ts';
import { errorText } from '../api/error-text.ts';
import { notificationSinks, setUnread, userEvents } from '../notify/user-events.ts';
import { notificationLine } from '../notify/notice-text.ts';
import { formatStart } from '../notify/start-time.ts';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';
import { useStore } from '../store.ts';
import { BellIcon } from './icons.tsx';

type List = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly items: readonly NotificationView[] } | { readonly kind: 'failed'; readonly message: string };

/** where a notification leads: the live room, or for the host's nudge their profile (where "Start now" is) */
function target(n: NotificationView, myHandle: string | null): string | null {
  if (!n.room) return null;
  if (n.kind === 'room_starting') return myHandle ? paths.profile(myHandle) : null;
  return paths.room(n.room.id);
}

export function NotificationBell() {
  const me = currentUser(useSession());
  const { unread } = useStore(userEvents);
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<List>({ kind: 'loading' });
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const load = async () => {
      try {
        const r = await api.notifications();
        if (!live) return;
        setList({ kind: 'ready', items: r.notifications });
        const newest = r.notifications[0];
        if (r.unread > 0 && newest) setUnread((await api.markNotificationsRead(newest.id)).unread);
      } catch (err) {
        if (live) setList({ kind: 'failed', message: errorText(err) });
      }
    };
    void load();
    const sink = () => void load();
    notificationSinks.add(sink);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: PointerEvent) => {
      if (box.current && e.target instanceof Node && !box.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      live = false;
      notificationSinks.delete(sink);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);

  const count = unread ?? 0;
  return (
    <div className="bell" ref={box} data-channel={unread === null ? 'connecting' : 'open'}>
      <button type="button" className="btn btn-ghost btn-small bell-button" aria-expanded={open} aria-haspopup="true" aria-label={count > 0 ? `Notifications, ${count} unread` : 'Notifications'} onClick={() => setOpen((o) => !o)}>
        <BellIcon size={18} />
        {count > 0 && (
          <span className="bell-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" role="region" aria-label="Notifications">
          <h2 className="bell-title">Notifications</h2>
          {list.kind === 'loading' && <p className="muted-text" role="status">Loading…</p>}
          {list.kind === 'failed' && <p className="form-error" role="alert">{list.message}</p>}
          {list.kind === 'ready' && list.items.length === 0 && <p className="muted-text">Nothing yet. When someone you follow goes live, you will hear it here.</p>}
          {list.kind === 'ready' && list.items.length > 0 && (
            <ul className="bell-list">
              {list.items.map((n) => (
                <li key={n.id} className={n.read ? 'bell-item' : 'bell-item bell-item-new'}>
                  {target(n, me?.handle ?? null) !== null ? (
                    <Link to={target(n, me?.handle ?? null) ?? '/'} onClick={() => setOpen(false)}>
                      {notificationLine(n)}
                    </Link>
                  ) : (
                    <span>{notificationLine(n)}</span>
                  )}
                  <span className="muted-text bell-when">{formatStart(n.at)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
