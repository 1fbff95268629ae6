/**
 * @module pinned-links — the links a host pinned to the room, opened in a new tab without giving the
 * page a handle on Amphi (noopener). Hosts and co-hosts also get Unpin and a small form to pin one.
 */
import { useState, type FormEvent } from 'react';
import type { RoomView } from '../../../src/protocol/api-views.ts';
import { PinIcon } from './icons.tsx';

export interface PinnedLinksProps {
  readonly pins: RoomView['pins'];
  readonly canEdit: boolean;
  readonly onPin: (url: string) => Promise<boolean>;
  readonly onUnpin: (url: string) => Promise<boolean>;
}

function label(url: string): string {
  try {
    const u = new URL(url);
    return u.host + (u.pathname === '/' ? '' : u.pathname);
  } catch {
    return url;
  }
}

export function PinnedLinks({ pins, canEdit, onPin, onUnpin }: PinnedLinksProps) {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  if (pins.length === 0 && !canEdit) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = url.trim();
    if (v === '') return;
    setBusy(true);
    if (await onPin(/^https?:\/\//i.test(v) ? v : `https://${v}`)) setUrl('');
    setBusy(false);
  };
  return (
    <section className="panel" aria-labelledby="pins-title">
      <h2 id="pins-title" className="panel-title">
        <PinIcon size={16} /> Pinned links
      </h2>
      {pins.length > 0 && (
        <ul className="pin-list">
          {pins.map((p) => (
            <li key={p.url} className="pin">
              <a href={p.url} target="_blank" rel="noopener noreferrer nofollow" className="pin-link">
                {label(p.url)}
              </a>
              {canEdit && (
                <button type="button" className="btn btn-ghost btn-small" onClick={() => void onUnpin(p.url)} aria-label={`Unpin ${label(p.url)}`}>
                  Unpin
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && pins.length < 3 && (
        <form className="inline-form" onSubmit={(e) => void submit(e)}>
          <label className="sr-only" htmlFor="pin-url">
            Link to pin
          </label>
          <input id="pin-url" type="url" inputMode="url" placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} maxLength={2048} />
          <button type="submit" className="btn btn-secondary btn-small" disabled={busy || url.trim() === ''}>
            Pin link
          </button>
        </form>
      )}
    </section>
  );
}
