/**
 * @module sound-alerts — what the room's server hears of the stage, told to the people who act on it:
 * to a stage member their own hot mic or echo with a mute button; to hosts and co-hosts every flagged
 * member ("noisy mic", "echo") with a one-tap mute (the server-enforced one), and the talk-over facts
 * (who holds the floor and for how long, who is talking over whom). It shows facts and sends the
 * actions the person already has; it never decides anything itself.
 */
import { useEffect, useState } from 'react';
import type { MyPlaceView, RoomView, StageSoundView } from '../../../src/protocol/api-views.ts';

type Act = (action: { type: 'mute' } | { type: 'muteMember'; target: string }, done?: string) => Promise<boolean>;

/** "1 min 05 s", "12 s" */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** re-renders every second while `on`, for the running durations */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}

/** the member's own warning, while their unmuted mic is flagged */
export function MyMicAlert({ sound, myId, me, act }: { sound: StageSoundView; myId: string | null; me: MyPlaceView; act: Act }) {
  if (myId === null || me.muted !== false) return null;
  const echo = sound.echo.includes(myId);
  const noisy = sound.noisy.includes(myId);
  if (!echo && !noisy) return null;
  return (
    <div className="banner banner-warn" role="alert">
      <span>{echo ? 'We hear an echo from your device: use headphones.' : 'Your mic is picking up noise.'}</span>
      <button type="button" className="btn btn-secondary btn-small" onClick={() => void act({ type: 'mute' }, 'You are muted')}>
        Mute
      </button>
    </div>
  );
}

/** the hosts' and co-hosts' view: flagged members with a one-tap mute, and who holds the floor */
export function StageSoundPanel({ room, sound, myId, act }: { room: RoomView; sound: StageSoundView; myId: string | null; act: Act }) {
  const now = useNow(sound.floor !== null || sound.overlap !== null);
  const name = (id: string): string => room.stage.find((m) => m.user.id === id)?.user.displayName ?? 'Someone';
  const flagged = room.stage.filter((m) => !m.muted && (sound.noisy.includes(m.user.id) || sound.echo.includes(m.user.id)));
  if (flagged.length === 0 && sound.floor === null) return null;
  return (
    <section className="panel sound-panel" aria-labelledby="sound-title">
      <h2 id="sound-title" className="panel-title">
        Stage sound
      </h2>
      {flagged.length > 0 && (
        <ul className="sound-alerts">
          {flagged.map((m) => (
            <li key={m.user.id} className="sound-alert">
              <span className="sound-badge">{sound.echo.includes(m.user.id) ? 'echo' : 'noisy mic'}</span>
              <span className="sound-name">{m.user.id === myId ? `${m.user.displayName} (you)` : m.user.displayName}</span>
              {m.role !== 'host' && m.user.id !== myId && (
                <button type="button" className="btn btn-danger btn-small" onClick={() => void act({ type: 'muteMember', target: m.user.id }, `${m.user.displayName} is muted`)}>
                  Mute
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {sound.floor && (
        <p className="sound-floor">
          <strong>{name(sound.floor.userId)}</strong> has the floor · {duration(now - sound.floor.since)}
        </p>
      )}
      {sound.overlap && (
        <p className="sound-overlap" role="status">
          Talking over each other: {sound.overlap.userIds.map(name).join(' and ')} · {duration(now - sound.overlap.since)}
        </p>
      )}
    </section>
  );
}
