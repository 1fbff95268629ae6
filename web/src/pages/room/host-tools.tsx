/**
 * @module host-tools — the host's and co-hosts' room-wide controls: invite someone to speak by
 * handle, mute everyone else, the room's sound guard (auto-mute hot mics after 10 s; echo: keep the
 * echoed part out of the program, or mute the person), and (host only) end the room after a confirmation.
 */
import { useState, type FormEvent } from 'react';
import type { MyPlaceView, RoomView } from '../../../../src/protocol/api-views.ts';
import { api } from '../../api/endpoints.ts';
import { errorText } from '../../api/error-text.ts';
import { ConfirmDialog } from '../../components/modal.tsx';
import { showToast } from '../../components/toasts.tsx';
import type { Act } from './use-act.ts';

export function HostTools({ room, me, live, act }: { room: RoomView; me: MyPlaceView; live: boolean; act: Act }) {
  const [handle, setHandle] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const invite = async (e: FormEvent) => {
    e.preventDefault();
    const h = handle.trim().replace(/^@/, '');
    if (h === '') return;
    setBusy(true);
    try {
      const p = await api.profile(h);
      if (await act({ type: 'invite', target: p.user.id }, `Invitation sent to ${p.user.displayName}`)) setHandle('');
    } catch (err) {
      showToast(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const end = async () => {
    setBusy(true);
    await act({ type: 'end' });
    setBusy(false);
    setConfirmEnd(false);
  };
  const guard = async (change: { autoMuteNoisy?: boolean; echo?: 'gate' | 'mute' }) => {
    setBusy(true);
    try {
      await api.updateRoom(room.id, { soundGuard: change });
    } catch (err) {
      showToast(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="tools-title">
      <h2 id="tools-title" className="panel-title">
        Host tools
      </h2>
      {live && (
        <form className="inline-form" onSubmit={(e) => void invite(e)}>
          <label className="sr-only" htmlFor="invite-handle">
            Handle of the person to invite
          </label>
          <input id="invite-handle" placeholder="@handle" autoCapitalize="none" spellCheck={false} value={handle} onChange={(e) => setHandle(e.target.value)} />
          <button type="submit" className="btn btn-secondary btn-small" disabled={busy || handle.trim() === ''}>
            Invite to speak
          </button>
        </form>
      )}
      <div className="tool-row">
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void act({ type: 'muteAll' }, 'Everyone else on stage is muted')}>
          Mute all
        </button>
        {me.role === 'host' && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setConfirmEnd(true)}>
            End room
          </button>
        )}
      </div>
      <div className="tool-row">
        <label>
          <input type="checkbox" checked={room.soundGuard.autoMuteNoisy} disabled={busy} onChange={(e) => void guard({ autoMuteNoisy: e.target.checked })} /> Mute a noisy mic after 10 s
        </label>
        <label>
          Echo:{' '}
          <select value={room.soundGuard.echo} disabled={busy} onChange={(e) => void guard({ echo: e.target.value === 'mute' ? 'mute' : 'gate' })}>
            <option value="gate">keep the echo out of the program</option>
            <option value="mute">mute the person</option>
          </select>
        </label>
      </div>
      {confirmEnd && (
        <ConfirmDialog
          title="End this room?"
          message={<p>Everyone leaves and the room cannot be opened again.</p>}
          confirmLabel="End room"
          danger
          busy={busy}
          onConfirm={() => void end()}
          onCancel={() => setConfirmEnd(false)}
        />
      )}
    </section>
  );
}
