/**
 * @module routes-notifications — HTTP handlers for a person's notifications (list, unread count, mark
 * read) and their live channel: GET /api/me/events, Server-Sent Events that carry each new notification
 * and their rooms' fan-out progress the moment it happens, with a comment heartbeat so proxies keep the
 * stream open. The stream holds nothing but its subscription, dropped when the client goes.
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { NotificationService } from '../control/notification-service.ts';
import type { UserChannels } from '../control/user-channels.ts';
import { MarkReadBody, NotificationsQuery } from '../protocol/notify-schemas.ts';
import { on, requireUser, type AppEnv } from './app-env.ts';
import { readJson, validate } from './request-input.ts';

export interface NotificationRoutesOptions {
  /** how often an idle stream gets a ": ping" comment; default 25 s (under common proxy idle limits) */
  readonly heartbeatMs?: number;
}

export function registerNotificationRoutes(
  app: Hono<AppEnv>,
  notifications: NotificationService,
  channels: UserChannels,
  opts: NotificationRoutesOptions = {},
): void {
  on(app, 'listNotifications', async (c) => {
    const q = validate(NotificationsQuery, c.req.query());
    return c.json(await notifications.list(requireUser(c), q.before === undefined ? { limit: q.limit } : { limit: q.limit, beforeId: q.before }));
  });

  on(app, 'unreadNotifications', async (c) => c.json({ unread: await notifications.unread(requireUser(c).id) }));

  on(app, 'markNotificationsRead', async (c) => {
    const body = validate(MarkReadBody, await readJson(c.req));
    return c.json(await notifications.markRead(requireUser(c), body.upTo ?? null));
  });

  on(app, 'myEvents', async (c) => {
    const user = requireUser(c);
    const unread = await notifications.unread(user.id);
    c.header('cache-control', 'no-store');
    // nginx and similar proxies buffer responses unless told not to, which would hold events back
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      let open = true;
      let unsubscribe = (): void => undefined;
      const gone = new Promise<void>((resolve) => {
        stream.onAbort(() => {
          open = false;
          resolve();
        });
      });
      // a write to a stream the client just left fails: that is its end, not an error to report
      const write = (p: Promise<unknown>) => void p.catch(() => stream.abort());
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ unread }) });
      unsubscribe = channels.subscribe(user.id, { send: (event, data) => open && write(stream.writeSSE({ event, data })) });
      const heartbeat = setInterval(() => open && write(stream.write(': ping\n\n')), opts.heartbeatMs ?? 25_000);
      try {
        await gone;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  });
}
