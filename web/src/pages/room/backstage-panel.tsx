/**
 * @module backstage-panel — what a backstage room shows. Hosts and co-hosts: that the audience cannot
 * hear yet, the microphone soundcheck meter, who of the stage has joined (and who is reconnecting,
 * from the stage's network), and "Go live". Everyone else: "Starting soon".
 */
import { useState } from 'react';
import type { RoomView } from '../../../../src/protocol/api-views.ts';
import type { StageNetworkView } from '../../../../src/protocol/stage-network.ts';
import { MicMeter } from '../../components/mic-meter.tsx';
import type { Act } from './use-act.ts';

export function BackstagePanel({ room, moderator, act, micLevel, network }: { room: RoomView; moderator: boolean; act: Act; micLevel: (() => number) | null; network: ReadonlyMap<string, StageNetworkView> }) {
  const [busy, setBusy] = useState(false);
  if (!moderator) {
    return (
      <section className="banner banner-soon" aria-labelledby="soon-title">
        <h2 id="soon-title" className="banner-title">
          Starting soon
        </h2>
        <p>The host is getting ready. Stay here: the room opens on this page when it goes live.</p>
      </section>
    );
  }
  const joined = room.stage.filter((m) => m.connected).length;
  const goLive = async () => {
    setBusy(true);
    await act({ type: 'goLive' }, 'You are live');
    setBusy(false);
  };
  return (
    <section className="panel backstage" aria-labelledby="backstage-title">
      <div className="backstage-top">
        <div>
          <h2 id="backstage-title" className="panel-title">
            You're backstage
          </h2>
          <p className="muted-text">Listeners see "Starting soon" and hear nothing until you go live.</p>
        </div>
        <button type="button" className="btn btn-live" onClick={() => void goLive()} disabled={busy}>
          Go live
        </button>
      </div>
      <MicMeter level={micLevel} />
      <p className="backstage-count">
        {joined} of {room.stage.length} on stage joined
      </p>
      <ul className="joined-list" aria-label="Who has joined">
        {room.stage.map((m) => {
          const link = network.get(m.user.id)?.link;
          const words = link === 'reconnecting' ? 'reconnecting…' : link === 'unreachable' ? 'cannot connect their microphone' : m.connected ? 'joined' : 'not joined yet';
          return (
            <li key={m.user.id} className={link === 'unreachable' ? 'unreachable' : m.connected && link !== 'reconnecting' ? 'joined' : 'not-joined'}>
              <span aria-hidden="true">{m.connected ? '●' : '○'}</span> {m.user.displayName} — {words}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
