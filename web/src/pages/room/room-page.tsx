/**
 * @module room-page — /rooms/:id: opens the room's session for whoever is signed in (a new session
 * when that changes) and picks its link: a listener's room comes on the program player's audio socket
 * (one socket), the stage's (or a fallback player's) on the room WebSocket. It shows either the room, "Joining…", or a final message in plain words: the
 * room ended, you were removed (no way back), the room does not exist, the connection gave up (with
 * Try again). Notices arrive here and become toasts.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Notice, UserView } from '../../../../src/protocol/api-views.ts';
import { textForCode } from '../../api/error-text.ts';
import { currentUser, useSession } from '../../auth/session.ts';
import { ErrorPanel } from '../../components/error-panel.tsx';
import { listenProps } from '../../audio/listen-props.ts';
import { useProgramPlayer } from '../../audio/use-program-player.ts';
import type { RoomLink } from '../../audio/program-player.ts';
import { useStageAudio } from '../../audio/use-stage-audio.ts';
import { showToast } from '../../components/toasts.tsx';
import type { ClosedReason } from '../../room/connection-state.ts';
import type { ReactionCounts, RoomSession } from '../../room/room-session.ts';
import { useRoomSession } from '../../room/use-room-session.ts';
import { useStore } from '../../store.ts';
import { RoomHeader } from './room-header.tsx';
import { RoomView } from './room-view.tsx';
import { useAct } from './use-act.ts';

export function RoomPage({ roomId }: { roomId: string }) {
  const s = useSession();
  if (s.status === 'loading') return <div className="page" role="status">Joining the room…</div>;
  const me = currentUser(s);
  return <RoomConnection key={me?.id ?? 'signed-out'} roomId={roomId} me={me} />;
}

function noticeText(n: Notice, by: UserView | null): string | null {
  switch (n) {
    case 'inviteCancelled':
      return 'The invitation to speak was withdrawn';
    case 'requestDeclined':
      return 'Your request to speak was declined';
    case 'hostChanged':
      return by ? `${by.displayName} is now the host` : 'The room has a new host';
    case 'autoMutedNoise':
      return 'You were muted: your mic kept picking up noise. Unmute when it is quiet.';
    case 'autoMutedEcho':
      return 'You were muted: we heard an echo from your device. Use headphones, then unmute.';
    case 'memberAutoMuted':
      return by ? `${by.displayName} was muted automatically (noisy mic or echo)` : null;
    // shown elsewhere: a banner while invited or muted; a full-page message when removed or ended
    case 'invited':
    case 'mutedByModerator':
    case 'removed':
    case 'ended':
      return null;
  }
}

function RoomConnection({ roomId, me }: { roomId: string; me: UserView | null }) {
  const [generation, setGeneration] = useState(0);
  const session = useRoomSession(roomId, generation, me !== null);
  if (!session) return <div className="page" role="status">Joining the room…</div>;
  return <ConnectedRoom session={session} myId={me?.id ?? null} onRetry={() => setGeneration((g) => g + 1)} />;
}

function ClosedPanel({ reason, title, onRetry }: { reason: ClosedReason; title: string | null; onRetry: () => void }) {
  const room = title ? <p className="muted-text">“{title}”</p> : null;
  switch (reason.kind) {
    case 'ended':
      return <ErrorPanel title="This room has ended">{room}</ErrorPanel>;
    case 'removed':
      return (
        <ErrorPanel title="You were removed from this room">
          {room}
          <p>A host removed you. You cannot rejoin this room.</p>
        </ErrorPanel>
      );
    case 'refused':
      return <ErrorPanel title={textForCode(reason.code, reason.message)}>{room}</ErrorPanel>;
    case 'gaveUp':
      return (
        <ErrorPanel
          title="We lost the connection to this room"
          action={
            <button type="button" className="btn btn-primary" onClick={onRetry}>
              Try again
            </button>
          }
        >
          <p>Check your connection, then try again.</p>
        </ErrorPanel>
      );
    case 'left':
      return <div className="page" role="status">Leaving…</div>;
  }
}

function ConnectedRoom({ session, myId, onRetry }: { session: RoomSession; myId: string | null; onRetry: () => void }) {
  const snap = useStore(session.store);
  const act = useAct(session);
  const [reactionSinks] = useState(() => new Set<(c: ReactionCounts) => void>());
  const closed = snap.connection.kind === 'closed';
  const role = snap.me?.role ?? null;
  const onStage = !closed && (role === 'host' || role === 'cohost' || role === 'speaker');
  // a page that listens on the audio socket learns its place there: its player opens before the place is known
  const [feedFirst] = useState(() => session.mode === 'feed');
  const audience = !closed && (role === 'listener' || role === 'removed' || (role === null && feedFirst));
  const media = snap.room ? { title: snap.room.title, host: snap.room.host.displayName } : null;
  const link = useMemo<RoomLink>(
    () => ({
      onRoom: (json) => session.feed(json),
      onLost: () => session.feedLost(),
      onClosed: (code, reason, byPolicy) => session.feedClosed(code, reason, byPolicy),
      onRefused: (code, message) => session.feedRefused(code, message),
      onWaiting: () => session.peek(),
    }),
    [session],
  );
  const program = useProgramPlayer(session.roomId, audience, media, feedFirst ? link : null);
  // the stage needs the room WebSocket, and so does a player without an audio socket; a listener needs only the audio socket
  const wantControl = !feedFirst || onStage || role === 'removed' || program.path === 'fallback';
  useEffect(() => {
    if (wantControl) session.talk();
    else session.listen();
  }, [session, wantControl]);

  const stage = useStageAudio(session, onStage, snap.me?.muted !== false, snap.connection.kind === 'open', program.volume);
  const onRtc = stage.onMessage;
  useEffect(() => {
    session.events = {
      onMessage: onRtc,
      onReactions: (c) => reactionSinks.forEach((push) => push(c)),
      onNotice: (n, by) => {
        const text = noticeText(n, by);
        if (text) showToast(text);
      },
    };
    return () => {
      session.events = {};
    };
  }, [session, reactionSinks, onRtc]);
  const subscribeReactions = useCallback(
    (push: (c: ReactionCounts) => void) => {
      reactionSinks.add(push);
      return () => void reactionSinks.delete(push);
    },
    [reactionSinks],
  );
  const title = snap.room?.title ?? null;
  useEffect(() => {
    document.title = title ? `${title} — Amphi` : 'Room — Amphi';
  }, [title]);

  if (snap.connection.kind === 'closed') {
    return (
      <div className="page">
        <ClosedPanel reason={snap.connection.reason} title={title} onRetry={onRetry} />
      </div>
    );
  }
  if (!snap.room || !snap.me) return <div className="page" role="status">Joining the room…</div>;
  return (
    <div className="page page-room">
      <RoomHeader room={snap.room} audience={audience} />
      <RoomView
        room={snap.room}
        me={snap.me}
        myId={myId}
        snapshot={snap}
        act={act}
        subscribeReactions={subscribeReactions}
        speaking={snap.speaking}
        listen={listenProps(program, snap.room.status)}
        micLevel={stage.micLevel}
        micError={stage.micError}
        network={stage.network}
      />
    </div>
  );
}
