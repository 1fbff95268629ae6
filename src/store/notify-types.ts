/**
 * @module store/notify-types — the persistence of what happens around a room rather than in it: scheduled
 * rooms listed by host and by follower, reminders, per-person notifications with an unread count, how
 * often people listen to a host, durable fan-out jobs with a cursor, and outbound webhook deliveries.
 * Reached as `store.notify`; implemented once over Kysely (kysely-notify.ts) for SQLite and PostgreSQL
 * and held to one contract (contract-notify.ts). Fan-out runs in set-based batches: one batch is a few
 * statements whatever its size, never one statement per recipient. Never decides a rule itself.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import type { RoomState, RoomStatus } from '../domain/room-state.ts';

export const NOTIFICATION_KINDS = ['room_live', 'room_cancelled', 'room_starting'] as const;
/** live now (followers and reminder holders), cancelled (reminder holders), your room's start time has come (the host) */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** what a fan-out job tells: a go-live goes to everyone who may care, the others to reminder holders only */
export type FanoutKind = Exclude<NotificationKind, 'room_starting'>;

export interface NewNotification {
  readonly userId: UserId;
  readonly kind: NotificationKind;
  readonly roomId: RoomId;
  readonly actorId: UserId | null;
  readonly at: number;
}

export interface StoredNotification extends NewNotification {
  readonly id: number;
  readonly readAt: number | null;
  /** the room as it is now (it may have moved on since), null when it is gone */
  readonly room: { readonly title: string; readonly status: RoomStatus; readonly startsAt: number | null } | null;
}

/**
 * reminders: reminder holders; top: followers who listened to the host's rooms, most first; rest: every
 * other follower; done. Jobs that only tell reminder holders go reminders → done.
 */
export const FANOUT_PHASES = ['reminders', 'top', 'rest', 'done'] as const;
export type FanoutPhase = (typeof FANOUT_PHASES)[number];

export interface FanoutJob {
  readonly id: number;
  readonly roomId: RoomId;
  readonly kind: FanoutKind;
  readonly hostId: UserId;
  readonly phase: FanoutPhase;
  /** recipients counted when the job was made (follows may change while it runs) */
  readonly total: number;
  /** notifications written so far */
  readonly notified: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

export interface FanoutBatch {
  readonly job: FanoutJob;
  /** the notifications this batch wrote, for the live push to whoever is connected */
  readonly delivered: ReadonlyArray<{ readonly id: number; readonly userId: UserId }>;
}

export type WebhookStatus = 'pending' | 'delivered' | 'failed';

export interface NewWebhookDelivery {
  readonly url: string;
  readonly event: string;
  readonly roomId: RoomId;
  readonly payload: string;
  readonly at: number;
}

export interface WebhookDelivery extends NewWebhookDelivery {
  readonly id: number;
  readonly attempts: number;
  readonly nextAt: number;
  readonly status: WebhookStatus;
  readonly lastError: string;
  readonly deliveredAt: number | null;
}

export type WebhookAttempt =
  | { readonly ok: true; readonly at: number }
  /** `retryAt` null: give up (status failed) */
  | { readonly ok: false; readonly at: number; readonly error: string; readonly retryAt: number | null };

export interface NotifyStore {
  // scheduled rooms
  /** the host's scheduled rooms, soonest first */
  listScheduledByHost(hostId: UserId, limit: number): Promise<RoomState[]>;
  /** scheduled rooms of the hosts `userId` follows, soonest first */
  listScheduledFollowed(userId: UserId, limit: number): Promise<RoomState[]>;
  /** ids of scheduled rooms whose start time is at or before `before`, soonest first */
  listScheduledDue(before: number, limit: number): Promise<RoomId[]>;

  // reminders
  /** idempotent; throws StoreError('not_found') when the room or the user does not exist */
  setReminder(roomId: RoomId, userId: UserId, at: number): Promise<void>;
  removeReminder(roomId: RoomId, userId: UserId): Promise<void>;
  /** how many people set a reminder, and whether `userId` did (false for null) */
  reminders(roomId: RoomId, userId: UserId | null): Promise<{ count: number; mine: boolean }>;

  // who listens to whom
  /** +1 for (host, listener) unless this room was already counted for them */
  countListen(hostId: UserId, listenerId: UserId, roomId: RoomId, at: number): Promise<void>;
  listens(hostId: UserId, listenerId: UserId): Promise<number>;

  // notifications
  /** null when this person already has a notification of this kind about this room */
  addNotification(n: NewNotification): Promise<StoredNotification | null>;
  /** newest first; `beforeId` pages back */
  listNotifications(userId: UserId, opts: { readonly beforeId?: number; readonly limit: number }): Promise<StoredNotification[]>;
  getNotifications(ids: readonly number[]): Promise<StoredNotification[]>;
  unreadCount(userId: UserId): Promise<number>;
  /** marks unread notifications with id <= upTo (all when null) read at `at`; returns how many */
  markRead(userId: UserId, upTo: number | null, at: number): Promise<number>;

  // fan-out jobs
  /** makes the job for (room, kind), or returns the one that exists: a room is announced once per kind */
  createFanoutJob(job: { readonly roomId: RoomId; readonly kind: FanoutKind; readonly hostId: UserId; readonly at: number }): Promise<FanoutJob>;
  getFanoutJob(roomId: RoomId, kind: FanoutKind): Promise<FanoutJob | null>;
  /** unfinished jobs, oldest first */
  openFanoutJobs(): Promise<FanoutJob[]>;
  /**
   * Writes the next `size` recipients' notifications and moves the cursor, in one transaction: a crash
   * loses the whole batch or none of it, and the unique (user, room, kind) key skips anyone already told.
   * Throws StoreError('not_found') for an unknown job; a finished job returns itself and nothing delivered.
   */
  runFanoutBatch(jobId: number, size: number, at: number): Promise<FanoutBatch>;

  // webhooks
  /** queues deliveries, skipping any (url, event, room) already queued; returns how many were new */
  enqueueWebhooks(deliveries: readonly NewWebhookDelivery[]): Promise<number>;
  /** pending deliveries due at `now`, oldest due first */
  dueWebhooks(now: number, limit: number): Promise<WebhookDelivery[]>;
  recordWebhookAttempt(id: number, attempt: WebhookAttempt): Promise<void>;
  listWebhookDeliveries(): Promise<WebhookDelivery[]>;
}
