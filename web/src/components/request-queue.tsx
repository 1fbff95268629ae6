/**
 * @module request-queue — the raised hands, for hosts and co-hosts only, in the host's order (people
 * the host follows, then people who spoke in the host's rooms before, then earliest first), searchable
 * by name, with "Approve next" for the head. The queue can hold the whole audience, so the list is
 * virtualized: only the rows in view (and a few around them) are in the page, fetched a page at a time
 * from the server; the room socket only says how many hands are up and that something changed, and the
 * visible rows are read again at most once a second. Buttons name the person so a screen reader user
 * knows whom they approve.
 */
import { useEffect, useRef, useState } from 'react';
import type { HandRaiseView, HandsPageView } from '../../../src/protocol/api-views.ts';
import { call } from '../api/http.ts';
import { Avatar } from './avatar.tsx';

export interface RequestQueueProps {
  readonly roomId: string;
  /** hands up in the room, from the room socket */
  readonly count: number;
  /** rises with every change the socket reported: the visible rows may be stale */
  readonly version: number;
  readonly onDecide: (userId: string, approve: boolean) => Promise<boolean>;
  readonly onApproveNext: () => Promise<boolean>;
}

const ROW_PX = 56;
const VIEW_PX = 392;
const OVERSCAN = 5;
const REFRESH_MS = 1000;

export function RequestQueue({ roomId, count, version, onDecide, onApproveNext }: RequestQueueProps) {
  const [busy, setBusy] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [first, setFirst] = useState(0);
  const [page, setPage] = useState<{ offset: number; rows: readonly HandRaiseView[]; total: number }>({ offset: 0, rows: [], total: 0 });
  const lastFetch = useRef(0);
  const visible = Math.ceil(VIEW_PX / ROW_PX);
  const from = Math.max(0, first - OVERSCAN);
  const want = visible + 2 * OVERSCAN;

  // the visible window, read again when it moves, the search changes, or (at most once a second) the queue changed
  useEffect(() => {
    let cancelled = false;
    const wait = Math.max(0, lastFetch.current + REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      lastFetch.current = Date.now();
      const query: Record<string, string> = { offset: String(from), limit: String(want) };
      if (search.trim() !== '') query['q'] = search.trim();
      call<HandsPageView>('roomHands', { params: { roomId }, query }).then(
        (p) => !cancelled && setPage({ offset: from, rows: p.hands, total: p.total }),
        () => undefined,
      );
    }, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [roomId, from, want, search, version]);

  const decide = async (userId: string, approve: boolean) => {
    setBusy(userId);
    await onDecide(userId, approve);
    setBusy(null);
  };
  const total = search.trim() === '' ? count : page.total;
  const rows = page.rows.map((r, i) => ({ r, index: page.offset + i })).filter(({ index }) => index >= from && index < from + want && index < total);
  return (
    <section className="panel" aria-labelledby="requests-title">
      <h2 id="requests-title" className="panel-title">
        Requests to speak <span className="count-pill">{count.toLocaleString()}</span>
      </h2>
      <div className="request-tools">
        <input type="search" className="input" placeholder="Search by name" aria-label="Search raised hands by name" value={search} onChange={(e) => { setSearch(e.target.value); setFirst(0); }} />
        <button type="button" className="btn btn-primary btn-small" disabled={count === 0 || busy === 'next'} onClick={() => { setBusy('next'); void onApproveNext().then(() => setBusy(null)); }}>
          Approve next
        </button>
      </div>
      {total === 0 ? (
        <p className="muted-text">{search.trim() === '' ? 'No hands raised. When listeners ask to speak, they show up here.' : 'Nobody with a raised hand matches.'}</p>
      ) : (
        <div className="request-scroller" style={{ height: VIEW_PX }} onScroll={(e) => setFirst(Math.floor(e.currentTarget.scrollTop / ROW_PX))}>
          <ul className="request-list" style={{ height: total * ROW_PX }} aria-rowcount={total}>
            {rows.map(({ r, index }) => (
              <li key={r.user.id} className="request" style={{ top: index * ROW_PX, height: ROW_PX }} aria-rowindex={index + 1}>
                <Avatar user={r.user} size={40} />
                <span className="request-name">
                  {r.user.displayName}
                  <small>@{r.user.handle}{r.tier === 'followed' ? ' · you follow' : r.tier === 'spokeBefore' ? ' · spoke before' : ''}</small>
                </span>
                <span className="request-actions">
                  <button type="button" className="btn btn-primary btn-small" disabled={busy === r.user.id} onClick={() => void decide(r.user.id, true)} aria-label={`Approve ${r.user.displayName}`}>
                    Approve
                  </button>
                  <button type="button" className="btn btn-ghost btn-small" disabled={busy === r.user.id} onClick={() => void decide(r.user.id, false)} aria-label={`Decline ${r.user.displayName}`}>
                    Decline
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
