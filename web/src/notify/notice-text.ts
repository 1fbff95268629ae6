/**
 * @module notice-text — the words the app uses for notifications and go-live progress: a toast's text
 * and where its one button leads, a line in the bell's list, "notified 1.2M of 3.4M followers". Pure, so
 * the wording is tested on its own; no DOM, no React.
 */
import type { FanoutProgressView, NotificationView } from '../../../src/protocol/notify-views.ts';

const roomPath = (id: string) => `/rooms/${encodeURIComponent(id)}`;

/** a toast for a new notification and its action, or null when there is nothing to show */
export function toastFor(n: NotificationView): { text: string; action: { label: string; to: string } | null } | null {
  if (!n.room) return null;
  switch (n.kind) {
    case 'room_live':
      return { text: `${n.actor?.displayName ?? 'A host you follow'} is live: ${n.room.title}`, action: { label: 'Listen', to: roomPath(n.room.id) } };
    case 'room_cancelled':
      return { text: `Cancelled: ${n.room.title}`, action: null };
    case 'room_starting':
      return { text: `It's time to start “${n.room.title}”`, action: null };
  }
}

/** one notification as a line of the bell's list */
export function notificationLine(n: NotificationView): string {
  const title = n.room?.title ?? 'a room';
  const who = n.actor?.displayName ?? 'A host';
  switch (n.kind) {
    case 'room_live':
      return `${who} is live: ${title}`;
    case 'room_cancelled':
      return `${who} cancelled “${title}”`;
    case 'room_starting':
      return `It's time to start “${title}”`;
  }
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** the host's view of a fan-out: "Notifying followers… notified 1.2M of 3.4M", then "Notified 3.4M of 3.4M followers" */
export function fanoutText(p: FanoutProgressView): string {
  const people = p.kind === 'room_live' ? 'followers' : 'reminder holders';
  if (p.done) return `Notified ${compact.format(p.notified)} of ${compact.format(p.total)} ${people}`;
  return `Notifying ${people}… notified ${compact.format(p.notified)} of ${compact.format(p.total)}`;
}
