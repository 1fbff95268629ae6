/**
 * @module user-events — the signed-in person's live channel (Server-Sent Events on GET /api/me/events):
 * keeps the unread count and the progress of go-live fan-outs about their rooms in one store, turns a
 * `room_live` notification into a toast with "Listen", and tells the bell when a notification arrives.
 * Opened when someone signs in and closed when they sign out; it never holds credentials (the cookie
 * travels by itself) and never polls.
 */
import type { FanoutProgressView, NotificationView, UserEvent } from '../../../src/protocol/notify-views.ts';
import { routePath } from '../api/http.ts';
import { session, type SessionState } from '../auth/session.ts';
import { showActionToast, showToast } from '../components/toasts.tsx';
import { Store } from '../store.ts';
import { toastFor } from './notice-text.ts';

export interface UserEventsState {
  /** null until the channel said it (its `ready` event) */
  readonly unread: number | null;
  /** the latest progress of each fan-out about one of my rooms, by room id */
  readonly fanouts: Readonly<Record<string, FanoutProgressView>>;
}

export const userEvents = new Store<UserEventsState>({ unread: null, fanouts: {} });

/** called with each new notification (the bell refreshes its open list) */
export const notificationSinks = new Set<(n: NotificationView) => void>();

/** wait before reopening a channel the server closed (EventSource retries by itself only on network drops) */
const REOPEN_MS = 5_000;

function parse(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch (err) {
    console.warn('unreadable event on the live channel', err);
    return null;
  }
}

function onEvent(ev: UserEvent): void {
  switch (ev.type) {
    case 'ready':
      userEvents.update((s) => ({ ...s, unread: ev.unread }));
      return;
    case 'notification': {
      userEvents.update((s) => ({ ...s, unread: (s.unread ?? 0) + (ev.notification.read ? 0 : 1) }));
      const t = toastFor(ev.notification);
      if (t?.action) showActionToast(t.text, t.action);
      else if (t) showToast(t.text, 'info', 6000);
      notificationSinks.forEach((sink) => sink(ev.notification));
      return;
    }
    case 'fanout':
      userEvents.update((s) => ({ ...s, fanouts: { ...s.fanouts, [ev.progress.roomId]: ev.progress } }));
      return;
  }
}

let source: EventSource | null = null;
let reopen: ReturnType<typeof setTimeout> | null = null;

function open(): void {
  const es = new EventSource(routePath('myEvents'));
  source = es;
  es.addEventListener('ready', (e) => {
    const d = parse(e.data as string) as { unread?: number } | null;
    if (typeof d?.unread === 'number') onEvent({ type: 'ready', unread: d.unread });
  });
  es.addEventListener('notification', (e) => {
    const d = parse(e.data as string) as { notification?: NotificationView } | null;
    if (d?.notification) onEvent({ type: 'notification', notification: d.notification });
  });
  es.addEventListener('fanout', (e) => {
    const d = parse(e.data as string) as { progress?: FanoutProgressView } | null;
    if (d?.progress) onEvent({ type: 'fanout', progress: d.progress });
  });
  es.onerror = () => {
    // CONNECTING: the browser is already retrying. CLOSED: the server refused (e.g. the session expired)
    if (es.readyState !== EventSource.CLOSED || source !== es) return;
    console.warn('the live channel closed; reopening in a few seconds');
    source = null;
    reopen = setTimeout(() => {
      reopen = null;
      if (session.get().status === 'signedIn' && source === null) open();
    }, REOPEN_MS);
  };
}

function close(): void {
  if (reopen) clearTimeout(reopen);
  reopen = null;
  source?.close();
  source = null;
  userEvents.set({ unread: null, fanouts: {} });
}

let userId: string | null = null;

function follow(s: SessionState): void {
  const next = s.status === 'signedIn' ? s.user.id : null;
  if (next === userId) return;
  close();
  userId = next;
  if (next !== null) open();
}

/** keeps the channel open exactly while someone is signed in; call once at start */
export function installUserEvents(): void {
  follow(session.get());
  session.subscribe(() => follow(session.get()));
}

/** set the unread count after the list was read or marked */
export function setUnread(unread: number): void {
  userEvents.update((s) => ({ ...s, unread }));
}
