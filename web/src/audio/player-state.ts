/**
 * @module player-state — the one state union of a room's program player, what the listen panel draws
 * from. Pure.
 */

export type PlayerState =
  /** nothing started yet */
  | { readonly kind: 'idle' }
  /** the browser refuses sound until a tap */
  | { readonly kind: 'blocked' }
  | { readonly kind: 'connecting' }
  /** this server is full: waiting in its line */
  | { readonly kind: 'queued'; readonly position: number; readonly etaSeconds: number }
  /** the room is backstage: connected, nothing to hear yet */
  | { readonly kind: 'waiting' }
  | { readonly kind: 'playing'; readonly behindMs: number; readonly bufferedMs: number; readonly underruns: number }
  | { readonly kind: 'reconnecting' }
  /** the stream ended for good (room ended, removed, gave up) */
  | { readonly kind: 'stopped' };

export type PlayerPath = 'worklet' | 'fallback';
