/**
 * @module status-pill — a room's lifecycle in one word: LIVE, Backstage (or "Starting soon" for the
 * audience), Ended.
 */
import type { RoomView } from '../../../src/protocol/api-views.ts';

export function StatusPill({ status, audience }: { status: RoomView['status']; audience: boolean }) {
  if (status === 'live')
    return (
      <span className="pill pill-live">
        <span className="live-dot" aria-hidden="true" />
        Live
      </span>
    );
  if (status === 'backstage') return <span className="pill pill-backstage">{audience ? 'Starting soon' : 'Backstage'}</span>;
  return <span className="pill pill-ended">Ended</span>;
}
