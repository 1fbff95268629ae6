/**
 * @module reaction-limiter — at most LIMITS.reactionsPerSecond reactions per person in any sliding
 * 1000 ms; extra ones are dropped, never queued (a late burst of hearts is noise, not news). The caller
 * keeps one window per person and passes it back in. Pure; `now` comes in, nothing is mutated.
 */
import { LIMITS } from './limits.ts';

const WINDOW_MS = 1000;

/**
 * `window` holds the times of the person's recently allowed reactions. Times older than the window
 * are forgotten; a refused reaction does not enter the window, so spamming does not extend the wait.
 */
export function allowReaction(window: readonly number[], now: number): { allowed: boolean; window: readonly number[] } {
  const recent = window.filter((t) => now - t < WINDOW_MS);
  if (recent.length >= LIMITS.reactionsPerSecond) return { allowed: false, window: recent };
  return { allowed: true, window: [...recent, now] };
}
