/**
 * @module room-announcer — turns what happened in rooms (bus messages) into what people outside them
 * hear: a room going live starts its go-live fan-out and the room.live webhook; a cancelled room tells
 * its reminder holders; an ended room fires room.ended; a scheduled room's start time nudges its host.
 * All of it is durable in the store and idempotent, and `resume` re-creates at start-up any job a crash
 * may have lost between the room's write and this reaction. Never decides a rule; never blocks the bus.
 */
import type { BusMessage } from '../bus/types.ts';
import type { Store } from '../store/types.ts';
import type { FanoutWorker } from './fanout-worker.ts';
import type { NotificationService } from './notification-service.ts';
import type { WebhookSender } from './webhook-sender.ts';

export interface RoomAnnouncerDeps {
  readonly store: Store;
  readonly fanout: FanoutWorker;
  readonly notifications: NotificationService;
  readonly webhooks: WebhookSender;
  readonly now: () => number;
  readonly onError: (err: unknown) => void;
}

export class RoomAnnouncer {
  readonly #d: RoomAnnouncerDeps;

  constructor(deps: RoomAnnouncerDeps) {
    this.#d = deps;
  }

  onBus(msg: BusMessage): void {
    if (msg.type !== 'roomChanged') return;
    const { state } = msg;
    const run = (p: Promise<unknown>) => void p.catch(this.#d.onError);
    for (const ev of msg.events) {
      if (ev.type === 'statusChanged' && ev.status === 'live') {
        run(this.#d.fanout.startJob(state.id, 'room_live', state.hostId));
        run(this.#d.webhooks.emit('room.live', state));
      } else if (ev.type === 'statusChanged' && ev.status === 'ended') {
        if (state.endReason === 'cancelled') run(this.#d.fanout.startJob(state.id, 'room_cancelled', state.hostId));
        run(this.#d.webhooks.emit('room.ended', state));
      } else if (ev.type === 'startTimeReached') {
        run(this.#d.notifications.notifyOne({ userId: ev.hostId, kind: 'room_starting', roomId: state.id, actorId: null, at: this.#d.now() }));
      }
    }
  }

  /** every live room has its go-live job (made once per room, so this never repeats a notice) */
  async resume(): Promise<void> {
    for (const room of await this.#d.store.listRooms(['live'], 10_000)) {
      await this.#d.store.notify.createFanoutJob({ roomId: room.id, kind: 'room_live', hostId: room.hostId, at: this.#d.now() });
    }
  }
}
