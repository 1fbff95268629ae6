/**
 * @module fanout-status — for a host whose room just went live: "Notifying followers… notified X of Y"
 * while the paced go-live notices run (the `fanout` events of the live channel), then "Notified Y" for a
 * few seconds. Shown in the app shell, so it follows the host from page to page.
 */
import { useEffect, useState } from 'react';
import { fanoutText } from '../notify/notice-text.ts';
import { userEvents } from '../notify/user-events.ts';
import { useStore } from '../store.ts';

const SHOW_DONE_MS = 8_000;

export function FanoutStatus() {
  const { fanouts } = useStore(userEvents);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const list = Object.values(fanouts).filter((p) => !hidden.has(p.roomId));
  const doneKey = list
    .filter((p) => p.done)
    .map((p) => p.roomId)
    .join(',');
  useEffect(() => {
    if (doneKey === '') return;
    const t = setTimeout(() => setHidden((h) => new Set([...h, ...doneKey.split(',')])), SHOW_DONE_MS);
    return () => clearTimeout(t);
  }, [doneKey]);
  if (list.length === 0) return null;
  return (
    <div className="fanout-status" role="status">
      {list.map((p) => (
        <p key={p.roomId} className="fanout-line">
          <progress max={Math.max(p.total, 1)} value={p.notified} aria-hidden="true" />
          <span>{fanoutText(p)}</span>
        </p>
      ))}
    </div>
  );
}
