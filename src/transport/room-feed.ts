/**
 * @module room-feed — what the listener ports need of the room's feed on an audio socket
 * (control/audience-feed.ts): a joined socket is handed over once, and what it returns is called once
 * the socket closes. Kept apart so both socket libraries' ports depend on this shape only.
 */
import type { ListenerSocket } from '../delivery/listener-socket.ts';
import type { StreamId } from '../delivery/stream-id.ts';

export interface RoomFeed {
  join(streamId: StreamId, userId: string | null, socket: ListenerSocket & { readonly closed: boolean }): () => void;
}
