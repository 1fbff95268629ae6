/**
 * @module listen-props — turns the program player's state into what the listen panel draws. Pure.
 */
import type { ListenPanelProps, ListenState } from '../components/listen-panel.tsx';
import type { PlayerState } from './player-state.ts';
import type { ProgramAudio } from './use-program-player.ts';

export function listenState(p: PlayerState, roomStatus: string): ListenState {
  switch (p.kind) {
    case 'idle':
    case 'connecting':
      return roomStatus === 'backstage' ? { kind: 'waiting' } : { kind: 'starting' };
    case 'blocked':
      return { kind: 'blocked' };
    case 'queued':
      return { kind: 'queued', position: p.position, etaSeconds: p.etaSeconds };
    case 'waiting':
      return { kind: 'waiting' };
    case 'playing':
      return { kind: 'playing', behindMs: p.behindMs };
    case 'reconnecting':
      return { kind: 'reconnecting' };
    case 'stopped':
      return { kind: 'stopped' };
  }
}

export function listenProps(audio: ProgramAudio, roomStatus: string): ListenPanelProps {
  return { state: listenState(audio.state, roomStatus), volume: audio.volume, onPlay: audio.play, onVolume: audio.setVolume, onJumpToLive: audio.jumpToLive };
}
