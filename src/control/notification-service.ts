/**
 * @module notification-service — a person's in-app notifications: the list (newest first), the unread
 * count, marking read, and the live push of new ones to whoever has an event stream open. Notifications
 * are written by the fan-out worker in batches, or one at a time here (the host's start-time nudge).
 * Never formats HTTP; pushes only to people connected to this node.
 */
import type { UserId } from '../domain/ids.ts';
import type { NotificationView } from '../protocol/notify-views.ts';
import type { NewNotification, StoredNotification } from '../store/notify-types.ts';
import type { Store, User } from '../store/types.ts';
import type { UserChannels } from './user-channels.ts';
import type { UserDirectory } from './user-directory.ts';

export const NOTIFICATIONS_PAGE_MAX = 100;

export interface NotificationServiceDeps {
  readonly store: Store;
  readonly users: UserDirectory;
  readonly channels: UserChannels;
  readonly now: () => number;
}

export class NotificationService {
  readonly #d: NotificationServiceDeps;

  constructor(deps: NotificationServiceDeps) {
    this.#d = deps;
  }

  async list(viewer: User, opts: { beforeId?: number; limit: number }): Promise<{ notifications: NotificationView[]; unread: number }> {
    const limit = Math.min(Math.max(opts.limit, 1), NOTIFICATIONS_PAGE_MAX);
    const rows = await this.#d.store.notify.listNotifications(viewer.id, opts.beforeId === undefined ? { limit } : { limit, beforeId: opts.beforeId });
    return { notifications: await this.views(rows), unread: await this.unread(viewer.id) };
  }

  unread(userId: UserId): Promise<number> {
    return this.#d.store.notify.unreadCount(userId);
  }

  /** marks read everything up to `upTo` (all when null); returns the unread count left */
  async markRead(viewer: User, upTo: number | null): Promise<{ marked: number; unread: number }> {
    const marked = await this.#d.store.notify.markRead(viewer.id, upTo, this.#d.now());
    return { marked, unread: await this.unread(viewer.id) };
  }

  /** writes one notification (once per person, room and kind) and pushes it if they are connected */
  async notifyOne(n: NewNotification): Promise<StoredNotification | null> {
    const stored = await this.#d.store.notify.addNotification(n);
    if (stored) await this.push([stored]);
    return stored;
  }

  /** pushes already written notifications to the people among them who have a stream open here */
  async pushIds(delivered: ReadonlyArray<{ readonly id: number; readonly userId: UserId }>): Promise<void> {
    const ids = delivered.filter((d) => this.#d.channels.has(d.userId)).map((d) => d.id);
    if (ids.length === 0) return;
    await this.push(await this.#d.store.notify.getNotifications(ids));
  }

  async push(rows: readonly StoredNotification[]): Promise<void> {
    const live = rows.filter((r) => this.#d.channels.has(r.userId));
    if (live.length === 0) return;
    const views = await this.views(live);
    live.forEach((r, i) => {
      const view = views[i];
      if (view) this.#d.channels.send(r.userId, { type: 'notification', notification: view });
    });
  }

  async views(rows: readonly StoredNotification[]): Promise<NotificationView[]> {
    await this.#d.users.ensure(rows.flatMap((r) => (r.actorId === null ? [] : [r.actorId])));
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      at: r.at,
      read: r.readAt !== null,
      room: r.room === null ? null : { id: r.roomId, title: r.room.title, status: r.room.status, startsAt: r.room.startsAt },
      actor: r.actorId === null ? null : this.#d.users.get(r.actorId),
    }));
  }
}
