/**
 * @module producer-worker — the worker thread's side of `ThreadProducer`: one `StageRooms` on this
 * thread's own event loop, commands in from the main thread, frames and events out. Here the 20 ms
 * clock, the WebRTC receive and the Opus encode run where no fan-out burst on the main thread can hold
 * them. It must never reach for anything on the main thread but through messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ProducerRejection, failureOf } from './producer.ts';
import type { ProducerCommand, ProducerEvent, ProducerWorkerData } from './producer-messages.ts';
import { StageRooms } from './stage-rooms.ts';

const port = parentPort;
if (port === null) throw new Error('producer-worker: must run in a worker thread');
const post = (e: ProducerEvent): void => port.postMessage(e);
const { options } = workerData as ProducerWorkerData;

const rooms = new StageRooms(options, {
  frame: (frame) => post({ ev: 'frame', frame }),
  signal: (roomId, memberId, signal) => post({ ev: 'signal', roomId, memberId, signal }),
  levels: (roomId, levels) => post({ ev: 'levels', roomId, levels }),
  skipped: (roomId, ticks) => post({ ev: 'skipped', roomId, ticks }),
  error: (failure, roomId) => post({ ev: 'error', failure, roomId }),
});

const answer = (id: number, work: Promise<string | null>): void => {
  work.then(
    (value) => post({ ev: 'reply', id, ok: true, value }),
    (err: unknown) =>
      post(
        err instanceof ProducerRejection
          ? { ev: 'reply', id, ok: false, reason: err.reason, message: err.message }
          : { ev: 'reply', id, ok: false, reason: 'bad-offer', message: failureOf(err).message },
      ),
  );
};

port.on('message', (cmd: ProducerCommand) => {
  try {
    switch (cmd.op) {
      case 'update':
        return rooms.update(cmd.roomId, cmd.spec);
      case 'close':
        return rooms.close(cmd.roomId);
      case 'unpublish':
        return rooms.unpublish(cmd.roomId, cmd.memberId);
      case 'publish':
        return answer(cmd.id, rooms.publish(cmd.roomId, cmd.memberId, cmd.sdp));
      case 'candidate':
        return answer(cmd.id, rooms.candidate(cmd.roomId, cmd.memberId, cmd.candidate).then(() => null));
      case 'shutdown':
        return answer(
          cmd.id,
          rooms.shutdown().then(() => {
            port.close();
            return null;
          }),
        );
    }
  } catch (err) {
    post({ ev: 'error', failure: failureOf(err), roomId: 'roomId' in cmd ? cmd.roomId : null });
  }
});

post({ ev: 'ready' });
