import { afterEach, describe, expect, it, vi } from 'vitest';
import { asRoomId, asUserId, type RoomId } from '../domain/ids.ts';
import type { NodeReport } from '../bus/presence.ts';
import type { RoomState } from '../domain/room-state.ts';
import { NodePresence, type NodePresenceDeps } from './node-presence.ts';

const A = asRoomId('room-a');
const B = asRoomId('room-b');
const C = asRoomId('room-c');

/** three open rooms: A has people and audio here, B only an Ogg listener, C only its host's control socket */
const deps = (published: NodeReport[], extra: Partial<NodePresenceDeps> = {}): NodePresenceDeps => ({
  presence: { publish: (r) => published.push(r) },
  nodeId: 'edge-1',
  role: 'edge',
  capacity: 500,
  listenOrigin: () => 'ws://edge-1.example:8081',
  hub: {
    openRooms: () => [A, B, C].map((id) => ({ id }) as RoomState),
    listenersHere: (id: RoomId) => (id === A ? 3 : 0),
    stageHere: (id: RoomId) => (id === C ? [asUserId('host-c')] : []),
  },
  streams: { listenerCount: () => 4, streamListenerCount: (id) => (String(id) === A ? 4 : 0) },
  ogg: { listeners: () => 1, listenersOf: (key) => (key === B ? 1 : 0) },
  onError: (err) => {
    throw err;
  },
  ...extra,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('NodePresence', () => {
  it('reports this node’s identity, load and per-room counts with the stage members held here, leaving out rooms nobody is in here', () => {
    const report = new NodePresence(deps([])).report();
    expect(report).toEqual({
      nodeId: 'edge-1',
      role: 'edge',
      capacity: 500,
      draining: false,
      listenOrigin: 'ws://edge-1.example:8081',
      audio: 5,
      rooms: new Map([
        [A, { listeners: 3, audio: 4 }],
        [B, { listeners: 0, audio: 1 }],
        [C, { listeners: 0, audio: 0, stage: ['host-c'] }],
      ]),
    });
  });

  it('gives its load in a room for the edge choice: audio sockets and Ogg streams alike', () => {
    const p = new NodePresence(deps([]));
    expect(p.loadIn(A)).toEqual({ nodeId: 'edge-1', role: 'edge', capacity: 500, draining: false, audio: 5, roomAudio: 4 });
    expect(p.loadIn(B).roomAudio).toBe(1);
    expect(p.loadIn(C).roomAudio).toBe(0);
  });

  it('publishes at once when started, then once per period (not per listener), and stops', () => {
    vi.useFakeTimers();
    const published: NodeReport[] = [];
    const p = new NodePresence(deps(published, { periodMs: 1000 }));
    p.start();
    p.start();
    expect(published).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    expect(published).toHaveLength(4);
    p.stop();
    vi.advanceTimersByTime(5000);
    expect(published).toHaveLength(4);
  });

  it('says it is draining at once, not a period later, and in every report and load after', () => {
    vi.useFakeTimers();
    const published: NodeReport[] = [];
    const p = new NodePresence(deps(published, { periodMs: 1000 }));
    p.start();
    vi.advanceTimersByTime(200);
    p.drain();
    p.drain();
    expect(published.map((r) => r.draining)).toEqual([false, true]);
    vi.advanceTimersByTime(1000);
    expect(published.at(-1)?.draining).toBe(true);
    expect(p.loadIn(A).draining).toBe(true);
    p.stop();
  });

  it('reports a report it could not make and keeps its period', () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let broken = true;
    const published: NodeReport[] = [];
    const p = new NodePresence(deps(published, {
      periodMs: 1000,
      listenOrigin: () => {
        if (broken) throw new Error('no port yet');
        return 'ws://x:1';
      },
      onError: (e) => errors.push(e),
    }));
    p.start();
    broken = false;
    vi.advanceTimersByTime(1000);
    expect(errors).toHaveLength(1);
    expect(published).toHaveLength(1);
    p.stop();
  });
});
