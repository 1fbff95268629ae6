/**
 * @module member-menu — what a host or co-host can do to one person on the stage: mute, make or
 * unmake co-host, hand over the host role, move to the audience, remove (with a reason). Which items
 * appear comes from room/permissions.ts; removing and handing over ask for confirmation first.
 */
import { useState } from 'react';
import type { StageMemberView } from '../../../src/protocol/api-views.ts';
import type { MemberAction } from '../room/permissions.ts';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';
import { Avatar } from './avatar.tsx';
import { Modal } from './modal.tsx';

const LABEL: Record<MemberAction, string> = {
  mute: 'Mute',
  addCohost: 'Make co-host',
  removeCohost: 'Remove as co-host',
  handOver: 'Hand over host…',
  moveToAudience: 'Move to audience',
  remove: 'Remove from room…',
};

export interface MemberMenuProps {
  readonly member: StageMemberView;
  readonly actions: readonly MemberAction[];
  /** resolves when the server accepted; the menu closes then */
  readonly onAct: (action: MemberAction, reason: string) => Promise<boolean>;
  readonly onClose: () => void;
}

export function MemberMenu({ member, actions, onAct, onClose }: MemberMenuProps) {
  const [confirm, setConfirm] = useState<'remove' | 'handOver' | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const name = member.user.displayName;
  const run = async (a: MemberAction) => {
    if ((a === 'remove' || a === 'handOver') && confirm !== a) {
      setConfirm(a);
      return;
    }
    setBusy(true);
    const ok = await onAct(a, reason.trim());
    setBusy(false);
    if (ok) onClose();
  };

  if (confirm === 'remove') {
    return (
      <Modal title={`Remove ${name}?`} onClose={onClose}>
        <p className="modal-text">They leave the room now and cannot come back to it.</p>
        <label className="field">
          <span className="field-label">Reason (optional, kept in the room's log)</span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} />
        </label>
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={() => setConfirm(null)}>
            Back
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void run('remove')}>
            Remove {name}
          </button>
        </div>
      </Modal>
    );
  }
  if (confirm === 'handOver') {
    return (
      <Modal title={`Make ${name} the host?`} onClose={onClose}>
        <p className="modal-text">{name} becomes the host and you become a co-host. Only the new host can give it back.</p>
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={() => setConfirm(null)}>
            Back
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run('handOver')}>
            Hand over host
          </button>
        </div>
      </Modal>
    );
  }
  return (
    <Modal title={name} onClose={onClose}>
      <div className="menu-person">
        <Avatar user={member.user} size={48} />
        <div>
          <Link to={paths.profile(member.user.handle)} className="menu-handle">
            @{member.user.handle}
          </Link>
          <p className="muted-text">{member.role === 'cohost' ? 'Co-host' : 'Speaker'}{member.muted ? ' · muted' : ''}</p>
        </div>
      </div>
      <ul className="menu-list">
        {actions.map((a) => (
          <li key={a}>
            <button type="button" className={a === 'remove' ? 'menu-item danger' : 'menu-item'} disabled={busy} onClick={() => void run(a)}>
              {LABEL[a]}
            </button>
          </li>
        ))}
      </ul>
      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
