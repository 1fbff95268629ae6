/**
 * @module scheduled-rooms — a section listing rooms scheduled ahead (a host's on their profile, the
 * followed hosts' on home), loaded once with the loader it is given and kept in step with the changes
 * its cards report, and loaded again when a notification arrives (a room went live or was cancelled,
 * so it leaves the list). Hidden entirely when there is nothing to show and `hideWhenEmpty` is set.
 */
import { useEffect, useState } from 'react';
import type { ScheduledRoomView } from '../../../src/protocol/notify-views.ts';
import { errorText } from '../api/error-text.ts';
import { notificationSinks } from '../notify/user-events.ts';
import { ScheduledRoomCard } from './scheduled-room-card.tsx';

type Load = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly rooms: readonly ScheduledRoomView[] } | { readonly kind: 'failed'; readonly message: string };

export interface ScheduledRoomsProps {
  readonly heading: string;
  readonly load: () => Promise<{ rooms: ScheduledRoomView[] }>;
  readonly myId: string | null;
  readonly emptyText?: string;
  readonly hideWhenEmpty?: boolean;
}

export function ScheduledRooms({ heading, load, myId, emptyText, hideWhenEmpty = false }: ScheduledRoomsProps) {
  const [state, setState] = useState<Load>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    const fetchList = () =>
      load().then(
        ({ rooms }) => live && setState({ kind: 'ready', rooms }),
        // a failed reload keeps the list on screen; only a first load that fails says so
        (err: unknown) => live && setState((s) => (s.kind === 'ready' ? s : { kind: 'failed', message: errorText(err) })),
      );
    void fetchList();
    const sink = () => void fetchList();
    notificationSinks.add(sink);
    return () => {
      live = false;
      notificationSinks.delete(sink);
    };
  }, [load]);

  if (state.kind === 'loading' || (hideWhenEmpty && state.kind === 'ready' && state.rooms.length === 0)) return null;
  const change = (id: string, next: ScheduledRoomView | null) =>
    setState((s) => (s.kind !== 'ready' ? s : { kind: 'ready', rooms: next === null ? s.rooms.filter((r) => r.room.id !== id) : s.rooms.map((r) => (r.room.id === id ? next : r)) }));
  return (
    <section className="scheduled" aria-label={heading}>
      <h2 className="section-title">{heading}</h2>
      {state.kind === 'failed' && <p className="form-error" role="alert">{state.message}</p>}
      {state.kind === 'ready' && state.rooms.length === 0 && emptyText && <p className="muted-text">{emptyText}</p>}
      {state.kind === 'ready' && state.rooms.length > 0 && (
        <ul className="room-list">
          {state.rooms.map((r) => (
            <ScheduledRoomCard key={r.room.id} item={r} myId={myId} onChange={(next) => change(r.room.id, next)} />
          ))}
        </ul>
      )}
    </section>
  );
}
