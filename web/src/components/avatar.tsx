/**
 * @module avatar — a person as a coloured circle with their initials; the colour comes from their id
 * so it is the same everywhere. `speaking` draws the ring that pulses while their voice is heard (fed
 * by audio levels in a later version). Decorative to screen readers: the name beside it is the label.
 */
import type { UserView } from '../../../src/protocol/api-views.ts';

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0], words[words.length - 1]] : [words[0] ?? '?'];
  return letters
    .map((w) => Array.from(w ?? '?')[0] ?? '?')
    .join('')
    .toUpperCase();
}

/** a stable hue per user; saturation and lightness keep white initials readable (contrast ≥ 4.5:1) */
export function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}

export function Avatar({ user, size = 56, speaking = false }: { user: UserView; size?: number; speaking?: boolean }) {
  return (
    <span
      className={speaking ? 'avatar speaking' : 'avatar'}
      style={{ width: size, height: size, fontSize: Math.round(size * 0.38), backgroundColor: `hsl(${hueOf(user.id)} 45% 36%)` }}
      aria-hidden="true"
    >
      {initials(user.displayName || user.handle)}
    </span>
  );
}
