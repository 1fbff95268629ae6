/**
 * @module request-queue — the raised hands, for hosts and co-hosts only: oldest first, each with
 * Approve (brings them on stage) and Decline. Buttons name the person so a screen reader user knows
 * whom they approve.
 */
import { useState } from 'react';
import type { HandRaiseView } from '../../../src/protocol/api-views.ts';
import { Avatar } from './avatar.tsx';

export interface RequestQueueProps {
  readonly requests: readonly HandRaiseView[];
  readonly onDecide: (userId: string, approve: boolean) => Promise<boolean>;
}

export function RequestQueue({ requests, onDecide }: RequestQueueProps) {
  const [busy, setBusy] = useState<string | null>(null);
  const decide = async (userId: string, approve: boolean) => {
    setBusy(userId);
    await onDecide(userId, approve);
    setBusy(null);
  };
  return (
    <section className="panel" aria-labelledby="requests-title">
      <h2 id="requests-title" className="panel-title">
        Requests to speak <span className="count-pill">{requests.length}</span>
      </h2>
      {requests.length === 0 ? (
        <p className="muted-text">No hands raised. When listeners ask to speak, they show up here.</p>
      ) : (
        <ul className="request-list">
          {requests.map((r) => (
            <li key={r.user.id} className="request">
              <Avatar user={r.user} size={40} />
              <span className="request-name">
                {r.user.displayName}
                <small>@{r.user.handle}</small>
              </span>
              <span className="request-actions">
                <button type="button" className="btn btn-primary btn-small" disabled={busy === r.user.id} onClick={() => void decide(r.user.id, true)} aria-label={`Approve ${r.user.displayName}`}>
                  Approve
                </button>
                <button type="button" className="btn btn-ghost btn-small" disabled={busy === r.user.id} onClick={() => void decide(r.user.id, false)} aria-label={`Decline ${r.user.displayName}`}>
                  Decline
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
