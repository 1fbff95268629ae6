/**
 * @module listen-panel — the audio area of a room: Play where the browser blocked autoplay, volume,
 * "behind live" with a jump back, and a plain status line. It only draws what it is given; the audio
 * engine (WebCodecs decoder → AudioWorklet, or the <audio> fallback) owns the sound and passes its
 * state and callbacks in.
 */
import { HeadphonesIcon, PlayIcon, VolumeIcon } from './icons.tsx';

export type ListenState =
  /** no audio engine wired to this page */
  | { readonly kind: 'unavailable' }
  /** the browser needs a tap before it plays sound */
  | { readonly kind: 'blocked' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'playing'; readonly behindMs: number }
  | { readonly kind: 'reconnecting' }
  /** the room is backstage: nothing to hear yet */
  | { readonly kind: 'waiting' }
  /** the server is full: this many ahead in its line */
  | { readonly kind: 'queued'; readonly position: number; readonly etaSeconds: number }
  /** the audio stopped for good (the page says why) */
  | { readonly kind: 'stopped' };

export interface ListenPanelProps {
  readonly state: ListenState;
  /** 0..1 */
  readonly volume: number;
  readonly onPlay?: () => void;
  readonly onVolume?: (v: number) => void;
  readonly onJumpToLive?: () => void;
}

const BEHIND_SHOWN_MS = 1500;

function statusText(s: ListenState): string {
  switch (s.kind) {
    case 'unavailable':
      return 'Audio cannot play in this browser.';
    case 'blocked':
      return 'Tap to listen';
    case 'starting':
      return 'Starting audio…';
    case 'playing':
      return s.behindMs > BEHIND_SHOWN_MS ? `${(s.behindMs / 1000).toFixed(1)} s behind live` : 'Listening live';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'waiting':
      return 'Audio starts when the room goes live.';
    case 'queued':
      return `You're #${s.position} in line (about ${s.etaSeconds} s). You'll be let in by yourself.`;
    case 'stopped':
      return 'The audio stopped.';
  }
}

export function ListenPanel({ state, volume, onPlay, onVolume, onJumpToLive }: ListenPanelProps) {
  const canAdjust = state.kind === 'playing' && onVolume !== undefined;
  return (
    <section className="listen-panel" aria-label="Listening">
      {state.kind === 'blocked' && onPlay ? (
        <button type="button" className="btn btn-primary play-button" onClick={onPlay}>
          <PlayIcon size={18} /> Tap to listen
        </button>
      ) : (
        <span className={state.kind === 'playing' ? 'listen-status live' : 'listen-status'}>
          <HeadphonesIcon size={18} />
          <span role="status">{statusText(state)}</span>
        </span>
      )}
      {state.kind === 'playing' && state.behindMs > BEHIND_SHOWN_MS && onJumpToLive && (
        <button type="button" className="btn btn-secondary btn-small" onClick={onJumpToLive}>
          Jump to live
        </button>
      )}
      {canAdjust && (
        <label className="volume">
          <VolumeIcon size={18} />
          <span className="sr-only">Volume</span>
          <input type="range" min={0} max={1} step={0.05} value={volume} onChange={(e) => onVolume(Number(e.target.value))} />
        </label>
      )}
    </section>
  );
}
