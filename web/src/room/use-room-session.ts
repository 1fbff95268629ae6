/**
 * @module use-room-session — ties a RoomSession's life to a mounted page: created and connected on
 * mount, closed on unmount (so React's double mount in development opens a fresh one rather than
 * reusing a closed one), and recreated when `generation` changes (a "Try again" after giving up).
 */
import { useEffect, useState } from 'react';
import { RoomSession } from './room-session.ts';

export function useRoomSession(roomId: string, generation: number): RoomSession | null {
  const [session, setSession] = useState<RoomSession | null>(null);
  useEffect(() => {
    const s = new RoomSession(roomId);
    s.connect();
    setSession(s);
    return () => {
      s.close();
      setSession(null);
    };
  }, [roomId, generation]);
  return session;
}
