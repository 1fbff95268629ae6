/**
 * @module schedule-service — rooms scheduled ahead as people use them: schedule one, list a host's and
 * a follower's, move the time, cancel, start; set and remove reminders; a go-live fan-out's progress for
 * the room's hosts. Room changes go through the room service (so the same rules, store transaction and
 * bus messages apply); reminders and listings go to the store. Never formats HTTP.
 */
import { randomUUID } from 'node:crypto';
import { asRoomId, type RoomId } from '../domain/ids.ts';
import { createScheduledRoomState } from '../domain/room-create.ts';
import { isModerator } from '../domain/room-queries.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { RoomWithMeView } from '../protocol/api-views.ts';
import type { RescheduleBody, ScheduleRoomBody } from '../protocol/notify-schemas.ts';
import type { FanoutProgressView, ScheduledRoomView } from '../protocol/notify-views.ts';
import type { Store, User } from '../store/types.ts';
import { AmphiError } from './errors.ts';
import type { FanoutWorker } from './fanout-worker.ts';
import type { RoomService } from './room-service.ts';
import { roomView } from './room-views.ts';
import type { UserDirectory } from './user-directory.ts';
import type { WebhookSender } from './webhook-sender.ts';

export interface ScheduleServiceDeps {
  readonly store: Store;
  readonly rooms: RoomService;
  readonly users: UserDirectory;
  readonly fanout: FanoutWorker;
  readonly webhooks: WebhookSender;
  readonly now: () => number;
  readonly onError: (err: unknown) => void;
}

const as = (user: User) => ({ kind: 'user' as const, userId: user.id });

export class ScheduleService {
  readonly #d: ScheduleServiceDeps;

  constructor(deps: ScheduleServiceDeps) {
    this.#d = deps;
  }

  async schedule(user: User, body: ScheduleRoomBody): Promise<ScheduledRoomView> {
    const made = createScheduledRoomState(
      { id: asRoomId(randomUUID()), hostId: user.id, title: body.title, topics: body.topics, description: body.description, speakerPolicy: body.speakerPolicy, startsAt: body.startsAt, timeZone: body.timeZone },
      this.#d.now(),
    );
    if (!made.ok) throw AmphiError.fromRejection(made.rejection);
    await this.#d.store.createRoom(made.state, made.audit);
    this.#d.users.remember({ id: user.id, handle: user.handle, displayName: user.displayName });
    // the webhook is queued durably; a failure to queue it must not undo the schedule the host sees
    this.#d.webhooks.emit('room.scheduled', made.state).catch(this.#d.onError);
    return this.#view(made.state, user);
  }

  async byHost(handle: string, viewer: User | null, limit: number): Promise<ScheduledRoomView[]> {
    const host = handle.length <= 15 ? await this.#d.store.getUserByHandle(handle) : null;
    if (!host) throw AmphiError.userNotFound();
    return this.#views(await this.#d.store.notify.listScheduledByHost(host.id, limit), viewer);
  }

  async following(viewer: User, limit: number): Promise<ScheduledRoomView[]> {
    return this.#views(await this.#d.store.notify.listScheduledFollowed(viewer.id, limit), viewer);
  }

  async reschedule(user: User, roomId: RoomId, body: RescheduleBody): Promise<ScheduledRoomView> {
    const state = await this.#d.rooms.act(roomId, as(user), { type: 'reschedule', startsAt: body.startsAt, ...(body.timeZone !== undefined && { timeZone: body.timeZone }) });
    return this.#view(state, user);
  }

  async cancel(user: User, roomId: RoomId): Promise<ScheduledRoomView> {
    return this.#view(await this.#d.rooms.act(roomId, as(user), { type: 'cancel' }), user);
  }

  async start(user: User, roomId: RoomId): Promise<RoomWithMeView> {
    await this.#d.rooms.act(roomId, as(user), { type: 'start' });
    return this.#d.rooms.viewFor(roomId, user);
  }

  async remind(user: User, roomId: RoomId, on: boolean): Promise<ScheduledRoomView> {
    // the same door as listening: removed or blocked people cannot ask to be told
    const state = await this.#d.rooms.admit(roomId, user);
    if (on) {
      if (state.status !== 'scheduled') throw new AmphiError('not_scheduled', 'Reminders are for rooms that have not started yet.');
      await this.#d.store.notify.setReminder(roomId, user.id, this.#d.now());
    } else {
      await this.#d.store.notify.removeReminder(roomId, user.id);
    }
    return this.#view(state, user);
  }

  /** how far the go-live (or cancellation) notices got: for the room's host and co-hosts */
  async progress(user: User, roomId: RoomId): Promise<FanoutProgressView> {
    const state = await this.#d.rooms.state(roomId);
    if (!isModerator(state, user.id)) throw new AmphiError('not_a_host', 'Only the host and co-hosts can follow the notices.');
    const kind = state.endReason === 'cancelled' ? 'room_cancelled' : 'room_live';
    const progress = await this.#d.fanout.progress(roomId, kind);
    return progress ?? { roomId, kind, phase: 'reminders', notified: 0, total: 0, done: false };
  }

  async #view(state: RoomState, viewer: User | null): Promise<ScheduledRoomView> {
    const [view] = await this.#views([state], viewer);
    if (!view) throw new AmphiError('internal', 'no view for a room just read');
    return view;
  }

  async #views(states: readonly RoomState[], viewer: User | null): Promise<ScheduledRoomView[]> {
    await this.#d.users.ensure(states.map((s) => s.hostId));
    return Promise.all(
      states.map(async (s) => {
        const r = await this.#d.store.notify.reminders(s.id, viewer?.id ?? null);
        return { room: roomView(s, (id) => this.#d.users.get(id), 0), reminders: r.count, reminderSet: r.mine };
      }),
    );
  }
}
