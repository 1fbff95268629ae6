/**
 * @module audience-feed — the room on a listening page's audio socket, so a listener needs one socket,
 * not two: the hub's room-wide messages (state when the room's view changed, else a tick) go to a room's
 * listeners on this node as ONE publish in the stream's queue, encoded once per message, never per
 * listener; a joiner gets the room as it is now (the encoding of the hub's last state, cached while it
 * is unchanged, so a storm of joins costs one write each); and a signed-in listener's socket is where
 * the hub sends their own place and notices. It never decides who may listen (the listener ports did,
 * in the upgrade) and never writes to a socket the listener port has seen close.
 */
import { asRoomId, asUserId, type RoomId, type UserId } from '../domain/ids.ts';
import { encodeRoomMessage } from '../protocol/listener-frame.ts';
import type { ListenerSocket } from '../delivery/listener-socket.ts';
import type { StreamHub } from '../delivery/stream-hub.ts';
import { asStreamId, type StreamId } from '../delivery/stream-id.ts';
import type { AudiencePort, RoomHub } from './room-hub.ts';

/** Node Buffers, so the socket libraries write them without a wrapper per listener */
const allocBuffer = (size: number): Uint8Array => Buffer.allocUnsafe(size);
const utf8 = new TextDecoder();

export interface AudienceFeedDeps {
  readonly hub: Pick<RoomHub, 'stateFor' | 'attachFeed' | 'state'>;
  readonly streams: Pick<StreamHub, 'streamListenerCount' | 'publishRoom'>;
  /** whether this person's hand is up in the room (their row): read once, as they arrive */
  readonly handRaised: (roomId: RoomId, userId: UserId) => Promise<boolean>;
  readonly onError: (err: unknown, roomId: RoomId) => void;
}

export class AudienceFeed implements AudiencePort {
  readonly #d: AudienceFeedDeps;
  /** per room: the last state text a joiner was sent and its encoding (the hub hands out the same string while nothing changed) */
  readonly #joinBytes = new Map<RoomId, { readonly text: string; readonly bytes: Uint8Array }>();

  constructor(deps: AudienceFeedDeps) {
    this.#d = deps;
  }

  listeners(roomId: RoomId): number {
    return this.#d.streams.streamListenerCount(asStreamId(roomId));
  }

  publish(roomId: RoomId, json: string): void {
    this.#d.streams.publishRoom(asStreamId(roomId), encodeRoomMessage(json, allocBuffer));
    if (this.#d.hub.state(roomId)?.status === 'ended') this.#joinBytes.delete(roomId);
  }

  /**
   * a listener's socket has just joined the stream (the hub already sent it the stream state): it gets
   * the room as it is now, and a signed-in listener their place from now on. Returns what to call when
   * the socket closes.
   */
  join(streamId: StreamId, claimed: string | null, socket: ListenerSocket & { readonly closed: boolean }): () => void {
    // a room's stream is named by its id (program-delivery.ts)
    const roomId = asRoomId(streamId);
    const bytes = this.#stateBytes(roomId);
    if (bytes !== null) socket.send(bytes);
    if (claimed === null) return () => undefined;
    const userId = asUserId(claimed);
    let forget: (() => void) | null = null;
    let gone = false;
    const attach = (handUp: boolean) => {
      if (gone || socket.closed) return;
      forget = this.#d.hub.attachFeed(roomId, userId, {
        userId,
        send: (msg) => {
          if (!socket.closed) socket.send(encodeRoomMessage(typeof msg === 'string' ? msg : utf8.decode(msg), allocBuffer));
        },
        close: (code, reason) => socket.close(code, reason),
      }, handUp);
    };
    const live = this.#d.hub.state(roomId)?.status === 'live';
    if (!live) attach(false);
    else {
      this.#d.handRaised(roomId, userId).then(attach, (err: unknown) => {
        this.#d.onError(err, roomId);
        attach(false);
      });
    }
    return () => {
      gone = true;
      forget?.();
    };
  }

  #stateBytes(roomId: RoomId): Uint8Array | null {
    const text = this.#d.hub.stateFor(roomId);
    if (text === null) return null;
    const known = this.#joinBytes.get(roomId);
    if (known?.text === text) return known.bytes;
    const bytes = encodeRoomMessage(text, allocBuffer);
    this.#joinBytes.set(roomId, { text, bytes });
    return bytes;
  }
}
