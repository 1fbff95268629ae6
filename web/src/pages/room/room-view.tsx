/**
 * @module room-view — an open room laid out like a Spaces/Clubhouse room: header, the backstage or
 * invitation banners, the stage of avatars with floating reactions over it, pinned links, the
 * hosts' queue and tools, and the dock. It draws a RoomSnapshot and sends actions; it holds no
 * connection logic. `speaking` (ids heard now) and `listen` are where the audio engine plugs in.
 */
import { useCallback, useState } from 'react';
import type { MyPlaceView, RoomView as Room, StageMemberView } from '../../../../src/protocol/api-views.ts';
import { FloatingReactions } from '../../components/floating-reactions.tsx';
import { InvitationBanner } from '../../components/invitation-banner.tsx';
import type { ListenPanelProps } from '../../components/listen-panel.tsx';
import { MemberMenu } from '../../components/member-menu.tsx';
import { NetworkCheck } from '../../components/network-check.tsx';
import type { StageNetworkCheck } from '../../audio/use-stage-audio.ts';
import { PinnedLinks } from '../../components/pinned-links.tsx';
import { RequestQueue } from '../../components/request-queue.tsx';
import { MyMicAlert, StageSoundPanel } from '../../components/sound-alerts.tsx';
import { StageMember } from '../../components/stage-member.tsx';
import { isModeratorRole, memberActions, type MemberAction } from '../../room/permissions.ts';
import type { ReactionCounts, RoomSnapshot } from '../../room/room-session.ts';
import { BackstagePanel } from './backstage-panel.tsx';
import { HostTools } from './host-tools.tsx';
import { RoomDock } from './room-dock.tsx';
import type { Act } from './use-act.ts';

export interface RoomViewProps {
  readonly room: Room;
  readonly me: MyPlaceView;
  readonly myId: string | null;
  readonly snapshot: RoomSnapshot;
  readonly act: Act;
  readonly subscribeReactions: (push: (c: ReactionCounts) => void) => () => void;
  readonly speaking: ReadonlySet<string>;
  readonly listen: ListenPanelProps;
  /** the microphone's level for the soundcheck meter; null while there is none */
  readonly micLevel: (() => number) | null;
  /** why the microphone cannot be used, in plain words */
  readonly micError: string | null;
  /** the viewer's own microphone link, while on the stage */
  readonly network: StageNetworkCheck | null;
}

function memberAction(a: MemberAction, target: string, reason: string): Parameters<Act>[0] {
  switch (a) {
    case 'mute':
      return { type: 'muteMember', target };
    case 'remove':
      return { type: 'remove', target, reason };
    default:
      return { type: a, target };
  }
}

const DONE: Record<MemberAction, (name: string) => string> = {
  mute: (n) => `${n} is muted`,
  moveToAudience: (n) => `${n} moved to the audience`,
  remove: (n) => `${n} was removed from the room`,
  addCohost: (n) => `${n} is now a co-host`,
  removeCohost: (n) => `${n} is no longer a co-host`,
  handOver: (n) => `${n} is now the host`,
};

export function RoomView({ room, me, myId, snapshot, act, subscribeReactions, speaking, listen, micLevel, micError, network }: RoomViewProps) {
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const [answering, setAnswering] = useState(false);
  const moderator = isModeratorRole(me);
  const menuMember: StageMemberView | undefined = room.stage.find((m) => m.user.id === menuFor);
  const onMemberAct = useCallback(
    (member: StageMemberView) => (a: MemberAction, reason: string) => act(memberAction(a, member.user.id, reason), DONE[a](member.user.displayName)),
    [act],
  );
  const answer = async (accept: boolean) => {
    setAnswering(true);
    await act(accept ? { type: 'acceptInvite' } : { type: 'declineInvite' }, accept ? 'You are on stage, muted' : 'Invitation declined');
    setAnswering(false);
  };
  const mutedByHost = me.muted === true && me.mutedBy === 'moderator';
  return (
    <div className="room">
      {snapshot.connection.kind === 'reconnecting' ? (
        <p className="banner banner-warn" role="status">
          Reconnecting… the room will update by itself when the connection is back.
        </p>
      ) : (
        listen.state.kind === 'reconnecting' && (
          <p className="banner banner-warn" role="status">
            Reconnecting… the audio comes back by itself, from where it stopped.
          </p>
        )
      )}
      {micError && (
        <p className="banner banner-warn" role="alert">
          {micError}
        </p>
      )}
      {room.status === 'backstage' && <BackstagePanel room={room} moderator={moderator} act={act} micLevel={micLevel} network={snapshot.network} />}
      {network && <NetworkCheck check={network} live={room.status === 'live'} />}
      {me.invited && <InvitationBanner onAnswer={(a) => void answer(a)} busy={answering} />}
      {mutedByHost && (
        <p className="banner banner-muted" role="status">
          You are muted by the host. You can unmute when you are asked to speak again.
        </p>
      )}
      <MyMicAlert sound={snapshot.sound} myId={myId} me={me} act={act} />
      <section className="stage" aria-labelledby="stage-title">
        <h2 id="stage-title" className="section-title">
          On stage <span className="count-pill">{room.stage.length}</span>
        </h2>
        <ul className="stage-grid">
          {room.stage.map((m) => {
            const actions = memberActions(me, myId, m);
            return (
              <StageMember
                key={m.user.id}
                member={m}
                speaking={speaking.has(m.user.id)}
                alert={moderator && !m.muted ? (snapshot.sound.echo.includes(m.user.id) ? 'echo' : snapshot.sound.noisy.includes(m.user.id) ? 'noisy mic' : null) : null}
                showPresence={room.status === 'backstage'}
                isMe={m.user.id === myId}
                onOpenMenu={actions.length > 0 ? () => setMenuFor(m.user.id) : undefined}
                network={moderator ? (snapshot.network.get(m.user.id) ?? null) : null}
              />
            );
          })}
        </ul>
        <FloatingReactions subscribe={subscribeReactions} />
      </section>
      {moderator && <StageSoundPanel room={room} sound={snapshot.sound} myId={myId} act={act} />}
      {moderator && room.status === 'live' && <RequestQueue roomId={room.id} count={snapshot.hands.count} version={snapshot.hands.version} onDecide={(target, ok) => act(ok ? { type: 'approveRequest', target } : { type: 'declineRequest', target })} onApproveNext={() => act({ type: 'approveNext' })} />}
      <PinnedLinks pins={room.pins} canEdit={moderator} onPin={(url) => act({ type: 'pin', url }, 'Link pinned')} onUnpin={(url) => act({ type: 'unpin', url }, 'Link unpinned')} />
      {moderator && <HostTools room={room} me={me} live={room.status === 'live'} act={act} />}
      <RoomDock room={room} me={me} act={act} listen={listen} />
      {menuMember && <MemberMenu member={menuMember} actions={memberActions(me, myId, menuMember)} onAct={onMemberAct(menuMember)} onClose={() => setMenuFor(null)} />}
    </div>
  );
}
