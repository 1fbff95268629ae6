/**
 * @module room-dock — the bar at the bottom of a room, always in thumb reach: the big mic button for
 * people on stage (or the listening area for the audience), raise / lower hand, reactions, and
 * "Leave stage". Each control says in its label what it will do.
 */
import { useState } from 'react';
import type { Reaction } from '../../../../src/protocol/room-vocabulary.ts';
import type { MyPlaceView, RoomView } from '../../../../src/protocol/api-views.ts';
import { HandIcon, MicIcon, MicOffIcon, SmileIcon } from '../../components/icons.tsx';
import { ListenPanel, type ListenPanelProps } from '../../components/listen-panel.tsx';
import { ReactionsBar } from '../../components/reactions-bar.tsx';
import { mayAskToSpeak } from '../../room/permissions.ts';
import { Link } from '../../router/history.ts';
import { paths } from '../../router/routes.ts';
import type { Act } from './use-act.ts';

export interface RoomDockProps {
  readonly room: RoomView;
  readonly me: MyPlaceView;
  readonly act: Act;
  readonly listen: ListenPanelProps;
}

export function RoomDock({ room, me, act, listen }: RoomDockProps) {
  const [reacting, setReacting] = useState(false);
  const [busy, setBusy] = useState(false);
  const onStage = me.role === 'host' || me.role === 'cohost' || me.role === 'speaker';
  const run = async (action: Parameters<Act>[0], done?: string) => {
    setBusy(true);
    await act(action, done);
    setBusy(false);
  };
  const react = (reaction: Reaction) => void act({ type: 'react', reaction });
  const canReact = me.signedIn && room.status === 'live';
  return (
    <div className="dock" role="region" aria-label="Room controls">
      {reacting && canReact && <ReactionsBar onReact={react} />}
      <div className="dock-row">
        {onStage ? (
          <button
            type="button"
            className={me.muted ? 'mic-button muted' : 'mic-button'}
            disabled={busy}
            onClick={() => void run({ type: me.muted ? 'unmute' : 'mute' })}
            aria-label={me.muted ? 'Unmute your microphone' : 'Mute your microphone'}
          >
            {me.muted ? <MicOffIcon size={28} /> : <MicIcon size={28} />}
            <span aria-hidden="true">{me.muted ? 'Unmute' : 'Mute'}</span>
          </button>
        ) : (
          <ListenPanel {...listen} />
        )}
        <div className="dock-actions">
          {mayAskToSpeak(room, me) && (
            <button
              type="button"
              className={me.handRaised ? 'dock-button active' : 'dock-button'}
              disabled={busy}
              aria-pressed={me.handRaised}
              onClick={() => void run(me.handRaised ? { type: 'cancelRequest' } : { type: 'requestToSpeak' }, me.handRaised ? 'Hand lowered' : 'Hand raised')}
            >
              <HandIcon size={22} />
              <span>{me.handRaised ? 'Lower hand' : 'Raise hand'}</span>
            </button>
          )}
          {!me.signedIn && room.status === 'live' && (
            <Link to={paths.signIn(paths.room(room.id))} className="dock-button">
              <HandIcon size={22} />
              <span>Sign in to speak</span>
            </Link>
          )}
          {canReact && (
            <button type="button" className={reacting ? 'dock-button active' : 'dock-button'} aria-expanded={reacting} onClick={() => setReacting(!reacting)}>
              <SmileIcon size={22} />
              <span>React</span>
            </button>
          )}
          {(me.role === 'speaker' || me.role === 'cohost') && (
            <button type="button" className="dock-button" disabled={busy} onClick={() => void run({ type: 'stepDown' }, 'You left the stage and are listening')}>
              <span className="dock-leave" aria-hidden="true">↓</span>
              <span>Leave stage</span>
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
