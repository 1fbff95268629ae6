/**
 * @module notify-stack — assembles everything that tells people about rooms from outside them: the
 * per-user live channels, notifications, the paced fan-out worker, webhooks, the announcer listening to
 * the bus, the scheduling service and the clock of scheduled rooms. main.ts builds it with one call,
 * starts it after the server listens and closes it before the store.
 */
import type { Bus } from '../bus/types.ts';
import type { RoomId, UserId } from '../domain/ids.ts';
import { stageMember } from '../domain/room-queries.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { Store } from '../store/types.ts';
import { isStoreOutage } from './errors.ts';
import { AdmissionPacer, FixedRatePacer, type AdmissionPressure } from './fanout-pacer.ts';
import { FanoutWorker } from './fanout-worker.ts';
import type { FanoutJob } from '../store/notify-types.ts';
import { NotificationService } from './notification-service.ts';
import { RoomAnnouncer } from './room-announcer.ts';
import type { RoomService } from './room-service.ts';
import { ScheduleClock } from './schedule-clock.ts';
import { ScheduleService } from './schedule-service.ts';
import { UserChannels } from './user-channels.ts';
import type { UserPush } from '../bus/user-push.ts';
import type { UserDirectory } from './user-directory.ts';
import { BackoffPolicy, WebhookSender, type WebhookTarget } from './webhook-sender.ts';

export interface NotifyLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NotifyStackConfig {
  readonly store: Store;
  readonly bus: Bus;
  /** a person's live events to the nodes holding their streams (a single node: none) */
  readonly userPush?: UserPush;
  readonly rooms: RoomService;
  readonly users: UserDirectory;
  readonly now: () => number;
  readonly log: NotifyLog;
  readonly secret: string;
  readonly publicUrl: string;
  /** notices per second; 0 = unthrottled */
  readonly notifyRate: number;
  /** when given, the fan-out also follows the listener node's waiting line (AdmissionPacer) */
  readonly admission?: AdmissionPressure;
  readonly webhooks: readonly WebhookTarget[];
  readonly webhookAllowPrivate: boolean;
  /** how often scheduled rooms are checked for their start time; default 15 s */
  readonly schedulePollMs?: number;
}

export interface NotifyStack {
  readonly channels: UserChannels;
  readonly notifications: NotificationService;
  readonly fanout: FanoutWorker;
  readonly webhooks: WebhookSender;
  readonly schedules: ScheduleService;
  readonly scheduleClock: ScheduleClock;
  /** a signed-in person came to listen to a live room: +1 toward that host's go-live waves, once per room */
  countListen(state: RoomState, userId: UserId): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function buildNotifyStack(c: NotifyStackConfig): NotifyStack {
  // a database outage is reported by the store once; each background job failing for it meanwhile is no news
  const onError = (what: string) => (err: unknown, roomId?: RoomId | null) => c.log[isStoreOutage(err) ? 'debug' : 'error']({ err, ...(roomId && { roomId }) }, what);
  const channels = new UserChannels(c.userPush);
  const notifications = new NotificationService({ store: c.store, users: c.users, channels, now: c.now });
  const fanout = new FanoutWorker({
    store: c.store,
    pacer: c.admission ? new AdmissionPacer(c.notifyRate, c.admission) : new FixedRatePacer(c.notifyRate),
    notifications,
    channels,
    now: c.now,
    onError: onError('fan-out batch failed'),
    onProgress: (job: FanoutJob, sent: number) => {
      if (job.phase === 'done' || sent > 0) c.log.info({ roomId: job.roomId, kind: job.kind, phase: job.phase, notified: job.notified, total: job.total }, 'fan-out progress');
    },
  });
  const webhooks = new WebhookSender({
    store: c.store,
    targets: c.webhooks,
    secret: c.secret,
    allowPrivate: c.webhookAllowPrivate,
    publicUrl: c.publicUrl,
    now: c.now,
    retry: new BackoffPolicy(),
    onError: onError('webhook delivery failed'),
    onAttempt: (d, a) => (a.ok ? c.log.info({ url: d.url, event: d.event, id: d.id }, 'webhook delivered') : c.log.warn({ url: d.url, event: d.event, id: d.id, error: a.error, retryAt: a.retryAt }, 'webhook attempt failed')),
  });
  const announcer = new RoomAnnouncer({ store: c.store, fanout, notifications, webhooks, now: c.now, onError: onError('announcing a room change failed') });
  const unsubscribe = c.bus.subscribe((msg) => announcer.onBus(msg));
  const schedules = new ScheduleService({ store: c.store, rooms: c.rooms, users: c.users, fanout, webhooks, now: c.now, onError: onError('queueing a webhook failed') });
  const scheduleClock = new ScheduleClock(c.store, c.rooms, c.now, c.schedulePollMs ?? 15_000, onError('scheduled room tick failed'));
  let closing: Promise<void> | null = null;
  return {
    channels,
    notifications,
    fanout,
    webhooks,
    schedules,
    scheduleClock,
    countListen(state, userId) {
      if (state.status !== 'live' || stageMember(state, userId) !== undefined) return;
      c.store.notify.countListen(state.hostId, userId, state.id, c.now()).catch(onError('counting a listen failed'));
    },
    async start() {
      await announcer.resume();
      fanout.start();
      webhooks.start();
      scheduleClock.start();
    },
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
        scheduleClock.stop();
        await Promise.all([fanout.stop(), webhooks.stop()]);
      })()),
  };
}
