/**
 * @module network-check — a stage member's own network check: whether their microphone reaches the
 * stage (connecting, connected, reconnecting, or "cannot connect" 10 s after trying), directly or
 * through a relay, the round trip, loss and jitter their browser measured, and what to do about a bad
 * network in plain words. Shown backstage before "Go live", and while live whenever the link is not
 * good. Judges with the server's own rule (assessNetwork); never measures and never reconnects itself.
 */
import { assessNetwork, type NetworkProblem } from '../../../src/protocol/stage-network.ts';
import type { StageNetworkCheck } from '../audio/use-stage-audio.ts';

export const ADVICE: Record<NetworkProblem, string> = {
  loss: 'Your network is dropping audio: switch to a wired connection or another network.',
  delay: 'Your connection is slow to reach the stage, so others will hear you late: move closer to your Wi-Fi router or switch networks.',
  jitter: 'Your connection is unsteady, so your voice may break up: pause downloads and other calls, or use a wired connection.',
};

const RELAY_VIA = { udp: 'UDP', tcp: 'TCP', tls: 'TLS' } as const;

export function NetworkCheck({ check, live }: { check: StageNetworkCheck; live: boolean }) {
  const r = check.state === 'connected' ? check.reading : null;
  const verdict = r === null ? null : assessNetwork(r);
  // live, a good link says nothing: the stage is not the place for a green light
  if (live && check.state === 'connected' && (verdict === null || verdict.level === 'good')) return null;
  const tone = check.state === 'unreachable' || verdict?.level === 'poor' ? 'bad' : check.state === 'connected' && verdict?.level === 'good' ? 'good' : 'warn';
  const headline = {
    connecting: 'Connecting your microphone to the stage…',
    reconnecting: 'Reconnecting your microphone… you stay on the stage, and your mute setting is kept.',
    unreachable: 'Cannot connect your microphone to the stage',
    connected: verdict === null ? 'Connected' : `Your network is ${verdict.level}`,
    closed: 'Your microphone is not connected',
  }[check.state];
  return (
    <section className={`network-check network-${tone}`} aria-labelledby="network-title" data-link={check.state} data-level={verdict?.level ?? ''}>
      <h3 id="network-title" className="network-title">
        Network check
      </h3>
      <p className="network-headline" role="status">
        <span className="network-dot" aria-hidden="true" /> {headline}
      </p>
      {check.state === 'unreachable' && (
        <p className="network-advice" role="alert">
          Your network blocks the audio connection to the stage, so nobody can hear you. Try another network (a phone's hotspot works), or ask the
          organiser to set up a relay server (TURN). We keep trying in the background.
        </p>
      )}
      {r !== null && (
        <dl className="network-figures">
          <div>
            <dt>Path</dt>
            <dd>{r.path === 'relayed' ? `Relayed${r.relayProtocol ? ` (${RELAY_VIA[r.relayProtocol]})` : ''}` : r.path === 'direct' ? 'Direct' : '—'}</dd>
          </div>
          <div>
            <dt>Round trip</dt>
            <dd>{r.rttMs === null ? '—' : `${r.rttMs} ms`}</dd>
          </div>
          <div>
            <dt>Loss</dt>
            <dd>{r.lossPct === null ? '—' : `${r.lossPct.toFixed(1)} %`}</dd>
          </div>
          <div>
            <dt>Jitter</dt>
            <dd>{r.jitterMs === null ? '—' : `${r.jitterMs} ms`}</dd>
          </div>
        </dl>
      )}
      {r?.path === 'relayed' && <p className="muted-text network-note">Your network blocks direct audio, so it goes through a relay. That works; it can add a little delay.</p>}
      {verdict?.problem != null && verdict.level !== 'good' && (
        <p className="network-advice" role={verdict.level === 'poor' ? 'alert' : undefined}>
          {ADVICE[verdict.problem]}
        </p>
      )}
    </section>
  );
}
