/**
 * @module listener-entry — the per-listener record of the hot path: its socket, its slot in the
 * fan-out list and its backpressure clock, as plain numbers so a publish touches no per-listener
 * object but this one. Callers outside delivery see it only as a read-only ListenerHandle.
 */
import type { ListenerSocket } from './listener-socket.ts';
import type { StreamId } from './stream-id.ts';

/** What the owner of a listener's connection holds, to remove it later and read its counters. */
export interface ListenerHandle {
  readonly id: number;
  readonly streamId: StreamId;
  /** which of the stream's shards it is in (-1 before it joins one) */
  readonly shard: number;
  /** frames this listener was not sent because its socket was not draining */
  readonly skippedFrames: number;
  /** true once the listener left the stream: removed, closed as too slow, or the stream closed */
  readonly detached: boolean;
}

export class ListenerEntry implements ListenerHandle {
  /** position in the fan-out list, -1 when not in one */
  index = -1;
  shard = -1;
  /** `now` at which the listener started being skipped, -1 while it is being sent to */
  skippingSince = -1;
  skippedFrames = 0;
  detached = false;

  constructor(
    readonly id: number,
    readonly streamId: StreamId,
    readonly socket: ListenerSocket,
  ) {}
}
