/**
 * @module program-delivery — the edge's half of a room's program: for every room this node tracks as
 * backstage or live, its stream in the listener hub and the Ogg broadcast are open, and the room's
 * frames come in from the program relay (one subscription per room, whatever the audience) and go out
 * to the listeners. The origin decides what is the audience's (it publishes frames only while the room
 * is live), so frames are delivered as they come; an ended room's stream is closed (4010). On a single
 * node the relay is in-process and this is the whole path from the mixer to the sockets. It must never
 * produce, mix or change a frame.
 */
import type { RoomId } from '../domain/ids.ts';
import type { BusMessage } from '../bus/types.ts';
import type { ProgramRelay } from '../bus/program-relay.ts';
import { CLOSE_CODES } from '../protocol/close-codes.ts';
import type { StreamHub } from '../delivery/stream-hub.ts';
import { asStreamId } from '../delivery/stream-id.ts';
import type { OggBroadcast } from '../delivery/ogg-broadcast.ts';

export interface ProgramDeliveryDeps {
  readonly relay: ProgramRelay;
  readonly streams: StreamHub;
  readonly ogg: OggBroadcast;
}

export class ProgramDelivery {
  readonly #d: ProgramDeliveryDeps;
  /** rooms whose stream is open here, with what stops their relay subscription */
  readonly #rooms = new Map<RoomId, () => void>();

  constructor(deps: ProgramDeliveryDeps) {
    this.#d = deps;
  }

  onBus(msg: BusMessage): void {
    if (msg.type === 'handsChanged') return;
    const status = msg.state.status;
    if (status === 'scheduled') return;
    if (status === 'ended') return this.#close(msg.roomId);
    if (!this.#rooms.has(msg.roomId)) this.#open(msg.roomId);
  }

  close(): void {
    for (const id of [...this.#rooms.keys()]) this.#close(id);
  }

  #open(roomId: RoomId): void {
    const stream = asStreamId(roomId);
    if (!this.#d.streams.hasStream(stream)) this.#d.streams.openStream(stream);
    this.#d.ogg.open(roomId);
    const stop = this.#d.relay.subscribe(roomId, (frame) => {
      this.#d.streams.publishFrame(stream, frame);
      this.#d.ogg.push(roomId, frame.opus);
    });
    this.#rooms.set(roomId, stop);
  }

  #close(roomId: RoomId): void {
    const stop = this.#rooms.get(roomId);
    if (stop === undefined) return;
    this.#rooms.delete(roomId);
    stop();
    this.#d.streams.closeStream(asStreamId(roomId), CLOSE_CODES.roomEnded);
    this.#d.ogg.close(roomId);
  }
}
