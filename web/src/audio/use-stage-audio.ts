/**
 * @module use-stage-audio — a stage member's audio for as long as they are on the stage: opens the
 * microphone, publishes it over a StageLink (offered when the room socket is open, again after it
 * reconnects, when the server says the stage moved to another node, and a moment after an offer was
 * refused as `unavailable` because no node held the stage yet), keeps the sent track's `enabled` on the member's mute, and closes both the moment they
 * leave the stage. Gives the room page the level for the soundcheck meter, a plain-words error
 * when the microphone cannot be used, and the network check (the link's state and what getStats
 * measured), which it also reports to the server every few seconds for the hosts' indicators.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ServerMessage } from '../../../src/protocol/api-views.ts';
import type { LinkState } from '../../../src/protocol/stage-network.ts';
import type { RoomSession } from '../room/room-session.ts';
import { MicError, Microphone } from './microphone.ts';
import type { NetworkReading } from './network-stats.ts';
import { StageLink, type StageLinkState } from './stage-link.ts';
import { audioHooks } from './test-hooks.ts';

export interface StageAudio {
  /** the microphone's level now, 0..1; null while there is no microphone */
  readonly micLevel: (() => number) | null;
  readonly micError: string | null;
  /** the room socket's messages go through here (rtcAnswer, rtcCandidate, rtcSlot, rtcConfig) */
  readonly onMessage: (msg: ServerMessage) => void;
  /** the microphone's link to the stage, for the network check; null while there is no link */
  readonly network: StageNetworkCheck | null;
}

export interface StageNetworkCheck {
  readonly state: StageLinkState;
  /** the latest getStats reading; null before the first */
  readonly reading: NetworkReading | null;
}

const LINK_OF: Record<Exclude<StageLinkState, 'closed'>, LinkState> = { connecting: 'connecting', connected: 'connected', reconnecting: 'reconnecting', unreachable: 'unreachable' };

export function useStageAudio(session: RoomSession, onStage: boolean, muted: boolean, socketOpen: boolean, volume: number): StageAudio {
  const [mic, setMic] = useState<Microphone | null>(null);
  const [micError, setMicError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  // a new StageLink each time the stage's server changes under the same socket
  const [generation, setGeneration] = useState(0);
  const link = useRef<StageLink | null>(null);
  const [network, setNetwork] = useState<StageNetworkCheck | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  // the microphone: open while on stage
  useEffect(() => {
    if (!onStage) return;
    let live = true;
    let opened: Microphone | null = null;
    setMicError(null);
    Microphone.open().then(
      (m) => {
        if (!live) return m.close();
        opened = m;
        audioHooks().micStream = m.stream;
        setMic(m);
      },
      (err: unknown) => {
        if (!live) return;
        setMicError(err instanceof MicError ? err.message : 'Your microphone could not be started.');
        console.warn('microphone', err);
      },
    );
    return () => {
      live = false;
      opened?.close();
      audioHooks().micStream = null;
      setMic(null);
    };
  }, [onStage, attempt]);

  // the WebRTC link: made once the microphone is there and the socket is open, offered again on reopen
  useEffect(() => {
    if (!mic || !socketOpen) return;
    let current: StageNetworkCheck = { state: 'connecting', reading: null };
    // what the hosts see of this member: sent on each change of state and with each reading
    const report = (next: StageNetworkCheck): void => {
      current = next;
      setNetwork(next);
      if (next.state === 'closed') return;
      const r = next.state === 'connected' ? next.reading : null;
      session.send({
        type: 'rtcQuality',
        quality: { link: LINK_OF[next.state], path: r?.path ?? null, relayProtocol: r?.relayProtocol ?? null, rttMs: r?.rttMs ?? null, lossPct: r?.lossPct ?? null, jitterMs: r?.jitterMs ?? null },
      });
    };
    const l = new StageLink({
      send: (m) => session.send(m),
      mic,
      muted: mutedRef.current,
      onState: (state) => report({ state, reading: state === 'connected' ? current.reading : null }),
      onNetwork: (reading) => report({ state: current.state, reading }),
    });
    link.current = l;
    setNetwork(current);
    const hooks = audioHooks();
    hooks.sendTrack = l.sendTrack;
    hooks.slots = l.slots;
    l.offer().catch((err: unknown) => console.error('could not offer the microphone', err));
    return () => {
      l.close();
      if (link.current === l) link.current = null;
      hooks.sendTrack = null;
      hooks.slots = null;
      setNetwork(null);
    };
  }, [mic, socketOpen, session, generation]);

  useEffect(() => {
    link.current?.setMuted(muted);
  }, [muted, mic, socketOpen]);

  useEffect(() => {
    link.current?.setVolume(volume);
  }, [volume, mic, socketOpen]);

  // a denied microphone may be allowed later: retry when the page is shown again
  useEffect(() => {
    if (micError === null) return;
    const retry = () => {
      if (document.visibilityState === 'visible') setAttempt((a) => a + 1);
    };
    document.addEventListener('visibilitychange', retry);
    return () => document.removeEventListener('visibilitychange', retry);
  }, [micError]);

  const onMessage = useCallback((msg: ServerMessage) => {
    if (msg.type === 'rtcRestart') return setGeneration((g) => g + 1);
    if (msg.type === 'error' && msg.code === 'unavailable' && link.current?.owns(msg.ref) === true) {
      // the stage is between servers: offer again soon, spread so a whole stage does not offer at once
      const l = link.current;
      setTimeout(() => {
        if (link.current === l) setGeneration((g) => g + 1);
      }, 1000 + Math.random() * 1000);
    }
    link.current?.handle(msg);
  }, []);
  const micLevel = useMemo(() => (mic ? () => mic.level() : null), [mic]);
  return { micLevel, micError: onStage ? micError : null, onMessage, network: onStage ? network : null };
}
