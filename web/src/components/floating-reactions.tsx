/**
 * @module floating-reactions — the room's reactions of the last tick floating up over the stage, with
 * a count when many people sent the same one ("🔥 ×12"). Bounded: at most a few bubbles per tick and on
 * screen, whatever the audience sends. Hidden from screen readers (a live summary would flood them);
 * still with prefers-reduced-motion (CSS).
 */
import { useEffect, useRef, useState } from 'react';
import type { Reaction } from '../../../src/protocol/room-vocabulary.ts';
import type { ReactionCounts } from '../room/room-session.ts';

interface Bubble {
  readonly id: number;
  readonly reaction: Reaction;
  readonly count: number;
  /** horizontal position, % of the width */
  readonly x: number;
}

const MAX_ON_SCREEN = 24;
const LIFETIME_MS = 2600;

export interface FloatingReactionsProps {
  /** called with a function the parent gives each tick's counts to */
  readonly subscribe: (push: (counts: ReactionCounts) => void) => () => void;
}

export function FloatingReactions({ subscribe }: FloatingReactionsProps) {
  const [bubbles, setBubbles] = useState<readonly Bubble[]>([]);
  const next = useRef(1);
  useEffect(
    () =>
      subscribe((counts) => {
        const fresh: Bubble[] = [];
        for (const [reaction, count] of Object.entries(counts) as [Reaction, number][]) {
          if (!count) continue;
          fresh.push({ id: next.current++, reaction, count, x: 8 + Math.random() * 84 });
        }
        if (fresh.length === 0) return;
        setBubbles((list) => [...list, ...fresh].slice(-MAX_ON_SCREEN));
        const ids = new Set(fresh.map((b) => b.id));
        setTimeout(() => setBubbles((list) => list.filter((b) => !ids.has(b.id))), LIFETIME_MS);
      }),
    [subscribe],
  );
  return (
    <div className="floating-reactions" aria-hidden="true" data-testid="floating-reactions">
      {bubbles.map((b) => (
        <span key={b.id} className="bubble" style={{ left: `${b.x}%` }} data-reaction={b.reaction} data-count={b.count}>
          {b.reaction}
          {b.count > 1 && <small>×{b.count}</small>}
        </span>
      ))}
    </div>
  );
}
