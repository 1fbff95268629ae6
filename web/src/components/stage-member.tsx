/**
 * @module stage-member — one person on the stage: avatar with speaking ring, a mute badge, their name
 * and role (Host / Co-host), and backstage whether they have joined. When the viewer may moderate them
 * the tile is a button that opens the member menu; otherwise it links to their profile.
 */
import type { StageMemberView } from '../../../src/protocol/api-views.ts';
import type { StageNetworkView } from '../../../src/protocol/stage-network.ts';
import { NetworkBadge, networkWords } from './network-badge.tsx';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';
import { Avatar } from './avatar.tsx';
import { MicOffIcon } from './icons.tsx';

const ROLE_LABEL: Record<StageMemberView['role'], string | null> = { host: 'Host', cohost: 'Co-host', speaker: null };

export interface StageMemberProps {
  readonly member: StageMemberView;
  /** audio level says this person is talking now (phase 2) */
  readonly speaking?: boolean;
  /** show whether they joined (backstage) */
  readonly showPresence: boolean;
  readonly isMe: boolean;
  /** what the server hears wrong with their mic, shown to hosts and co-hosts */
  readonly alert?: 'noisy mic' | 'echo' | null;
  /** set when the viewer has actions on this member */
  readonly onOpenMenu?: (() => void) | undefined;
  /** their network, for hosts and co-hosts (null: not told, or not connected yet) */
  readonly network?: StageNetworkView | null;
}

export function StageMember({ member, speaking = false, alert = null, showPresence, isMe, onOpenMenu, network = null }: StageMemberProps) {
  const role = ROLE_LABEL[member.role];
  const name = isMe ? `${member.user.displayName} (you)` : member.user.displayName;
  // a member whose socket dropped after their microphone was connected is coming back, not absent
  const reconnecting = network?.link === 'reconnecting';
  const presence = member.connected ? 'joined' : reconnecting ? 'reconnecting' : 'not joined yet';
  const status = [role, member.muted ? (member.mutedBy === 'moderator' ? 'muted by a host' : 'muted') : 'unmuted', showPresence ? presence : null, network ? networkWords(network) : null, speaking ? 'speaking' : null, alert]
    .filter(Boolean)
    .join(', ');
  const body = (
    <>
      <span className="stage-avatar">
        <Avatar user={member.user} size={64} speaking={speaking} />
        {member.muted && (
          <span className="mute-badge" aria-hidden="true">
            <MicOffIcon size={14} />
          </span>
        )}
        {showPresence && <span className={member.connected ? 'presence presence-on' : 'presence'} aria-hidden="true" />}
        {network && <NetworkBadge network={network} />}
        {alert && (
          <span className="stage-alert" aria-hidden="true">
            {alert}
          </span>
        )}
      </span>
      <span className="stage-name">{member.user.displayName}</span>
      <span className="stage-role">
        {role ?? 'Speaker'}
        {isMe ? ' · you' : ''}
      </span>
    </>
  );
  return (
    <li className={member.connected || !showPresence ? 'stage-member' : 'stage-member away'} data-user={member.user.id}>
      {onOpenMenu ? (
        <button type="button" className="stage-button" onClick={onOpenMenu} aria-label={`${name}: ${status}. Open actions`} aria-haspopup="dialog">
          {body}
        </button>
      ) : (
        <Link to={paths.profile(member.user.handle)} className="stage-button" aria-label={`${name}: ${status}`}>
          {body}
        </Link>
      )}
    </li>
  );
}
