/**
 * @module status-pill — a room's lifecycle in one word: LIVE, Backstage (or "Starting soon" for the
 * audience), Ended, and Scheduled for any status this client does not know yet (rooms scheduled ahead
 * are being added to the protocol), never a wrong "Ended".
 */
import type { RoomView } from '../../../src/protocol/api-views.ts';

export function StatusPill({ status: known, audience }: { status: RoomView['status']; audience: boolean }) {
  const status: string = known;
  if (status === 'live')
    return (
      <span className="pill pill-live">
        <span className="live-dot" aria-hidden="true" />
        Live
      </span>
    );
  if (status === 'backstage') return <span className="pill pill-backstage">{audience ? 'Starting soon' : 'Backstage'}</span>;
  if (status === 'ended') return <span className="pill pill-ended">Ended</span>;
  return <span className="pill pill-backstage">Scheduled</span>;
}
