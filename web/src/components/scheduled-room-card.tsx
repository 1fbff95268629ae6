/**
 * @module scheduled-room-card — one room scheduled ahead: title, host, topics and the start time in the
 * viewer's own time zone. A signed-in visitor gets "Set reminder" / "Reminder set" (a toggle button);
 * the host gets "Start now" (opens the room backstage), "Edit time" and "Cancel room" (reminder holders
 * are told). Asks its list to replace or drop it after a change; never keeps a copy of the server's state.
 */
import { useState, type FormEvent } from 'react';
import type { ScheduledRoomView } from '../../../src/protocol/notify-views.ts';
import { api } from '../api/endpoints.ts';
import { errorText } from '../api/error-text.ts';
import { formatStart, fromLocalInput, toLocalInput, viewerTimeZone } from '../notify/start-time.ts';
import { Link, navigate } from '../router/history.ts';
import { paths } from '../router/routes.ts';
import { Avatar } from './avatar.tsx';
import { CalendarIcon } from './icons.tsx';
import { ConfirmDialog } from './modal.tsx';
import { StatusPill } from './status-pill.tsx';
import { showToast } from './toasts.tsx';
import { TopicList } from './topic-list.tsx';

export interface ScheduledRoomCardProps {
  readonly item: ScheduledRoomView;
  /** the viewer's user id, null when signed out */
  readonly myId: string | null;
  /** the server's new view of this room, or null when it left the list (cancelled, started) */
  readonly onChange: (next: ScheduledRoomView | null) => void;
}

export function ScheduledRoomCard({ item, myId, onChange }: ScheduledRoomCardProps) {
  const { room } = item;
  const startsAt = room.schedule?.startsAt ?? room.createdAt;
  const isHost = myId === room.host.id;
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(() => toLocalInput(startsAt));
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const toggleReminder = () =>
    run(async () => {
      onChange(item.reminderSet ? await api.removeReminder(room.id) : await api.setReminder(room.id));
    });
  const startNow = () =>
    run(async () => {
      await api.startRoom(room.id);
      navigate(paths.room(room.id));
    });
  const saveTime = (e: FormEvent) => {
    e.preventDefault();
    const ms = fromLocalInput(draft);
    if (ms === null) return setError('Pick a date and a time.');
    void run(async () => {
      onChange(await api.reschedule(room.id, ms, viewerTimeZone()));
      setEditing(false);
      showToast('New time saved');
    });
  };
  const cancel = () =>
    run(async () => {
      await api.cancelRoom(room.id);
      setConfirmCancel(false);
      onChange(null);
      showToast(item.reminders > 0 ? 'Room cancelled; people with a reminder are told' : 'Room cancelled');
    });

  const when = formatStart(startsAt);
  return (
    <li className="room-card scheduled-card" aria-label={`${room.title}. Hosted by ${room.host.displayName}. Starts ${when}.`}>
      <div className="room-card-top">
        <StatusPill status={room.status} audience={!isHost} />
        <span className="listeners">{item.reminders === 1 ? '1 reminder' : `${item.reminders} reminders`}</span>
      </div>
      <p className="scheduled-when">
        <CalendarIcon size={16} /> <time dateTime={new Date(startsAt).toISOString()}>{when}</time>
      </p>
      <h3 className="room-card-title">{room.title}</h3>
      <TopicList topics={room.topics} />
      {room.description !== '' && <p className="muted-text scheduled-description">{room.description}</p>}
      <Link to={paths.profile(room.host.handle)} className="scheduled-host">
        <Avatar user={room.host} size={28} /> Host: {room.host.displayName}
      </Link>
      {editing && (
        <form className="inline-form" onSubmit={saveTime}>
          <label className="sr-only" htmlFor={`when-${room.id}`}>
            New start time
          </label>
          <input id={`when-${room.id}`} type="datetime-local" value={draft} onChange={(e) => setDraft(e.target.value)} required />
          <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
            Save
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
            Back
          </button>
        </form>
      )}
      <div className="scheduled-actions">
        {isHost && !editing && (
          <>
            <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void startNow()}>
              Start now
            </button>
            <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => setEditing(true)}>
              Edit time
            </button>
            <button type="button" className="btn btn-ghost btn-small danger-text" disabled={busy} onClick={() => setConfirmCancel(true)}>
              Cancel room
            </button>
          </>
        )}
        {!isHost && myId !== null && (
          <button type="button" className={item.reminderSet ? 'btn btn-secondary btn-small reminder-on' : 'btn btn-primary btn-small'} aria-pressed={item.reminderSet} disabled={busy} onClick={() => void toggleReminder()}>
            {item.reminderSet ? '✓ Reminder set' : 'Set reminder'}
          </button>
        )}
        {!isHost && myId === null && (
          <Link to={paths.signIn(location.pathname)} className="btn btn-secondary btn-small">
            Sign in to set a reminder
          </Link>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {confirmCancel && (
        <ConfirmDialog
          title="Cancel this room?"
          message={<p>{item.reminders > 0 ? `The ${item.reminders === 1 ? 'person' : `${item.reminders} people`} who set a reminder will be told.` : 'Nobody has set a reminder yet.'}</p>}
          confirmLabel="Cancel room"
          danger
          busy={busy}
          onConfirm={() => void cancel()}
          onCancel={() => setConfirmCancel(false)}
        />
      )}
    </li>
  );
}
