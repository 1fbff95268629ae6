/**
 * @module use-room-session — ties a RoomSession's life to a mounted page: created and connected on
 * mount, closed on unmount (so React's double mount in development opens a fresh one rather than
 * reusing a closed one), and recreated when `generation` changes (a "Try again" after giving up). It
 * starts listening on the audio socket where the page can play it (one socket per listener).
 */
import { useEffect, useState } from 'react';
import { hasWebAudioWorklets } from '../audio/audio-context.ts';
import { hasWebCodecsOpus } from '../audio/opus-frame-decoder.ts';
import { RoomSession } from './room-session.ts';

/**
 * where this page's player will have an audio socket, the room comes on it (one socket per listener);
 * the room page moves to the room WebSocket when the person goes on stage or the player falls back
 */
const feedFirst = (): boolean => hasWebAudioWorklets() && hasWebCodecsOpus();

export function useRoomSession(roomId: string, generation: number, signedIn: boolean): RoomSession | null {
  const [session, setSession] = useState<RoomSession | null>(null);
  useEffect(() => {
    const s = new RoomSession(roomId, { mode: feedFirst() ? 'feed' : 'control', signedIn });
    s.connect();
    setSession(s);
    return () => {
      s.close();
      setSession(null);
    };
  }, [roomId, generation, signedIn]);
  return session;
}
