/**
 * @module test/support/live-tone-room — the room most cluster tests start from: a host signed up on
 * `base` creates a room, speaks a 440 Hz tone over WebRTC through their room socket there, unmutes and
 * goes live. What it opens is handed to `cleanup`. Test code only.
 */
import { expect } from 'vitest';
import { ApiClient } from './amphi-server.ts';
import { RoomSocket } from './room-socket-client.ts';
import { toneOverRoomSocket } from './tone-speaker.ts';

export interface LiveToneRoom {
  readonly roomId: string;
  readonly host: ApiClient;
}

export async function liveToneRoom(base: string, title: string, cleanup: Array<() => void>): Promise<LiveToneRoom> {
  const host = new ApiClient(base);
  await host.signUp(`host${Math.floor(Math.random() * 1e9)}`);
  const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title })).body.room.id;
  const sock = await RoomSocket.open(base, roomId, host.cookie);
  cleanup.push(() => sock.close());
  const speaker = await toneOverRoomSocket(sock, 440);
  cleanup.push(() => speaker.close());
  expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'unmute' })).status).toBe(200);
  expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' })).status).toBe(200);
  return { roomId, host };
}
