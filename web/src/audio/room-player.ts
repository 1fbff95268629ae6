/**
 * @module room-player — what a room page holds to hear a room's program, whichever way it is played:
 * the WebCodecs + AudioWorklet player, or the <audio> fallback. One interface, so the page and the
 * listen panel never ask which.
 */
import type { Store } from '../store.ts';
import type { PlayerPath, PlayerState } from './player-state.ts';

export interface RoomPlayer {
  readonly path: PlayerPath;
  readonly state: Store<PlayerState>;
  /** call from a tap: starts sound where the browser refused it */
  play(): Promise<void>;
  /** 0..1 */
  setVolume(v: number): void;
  /** drops what is buffered beyond the target delay */
  jumpToLive(): void;
  /** stops for good; idempotent */
  close(): void;
}
