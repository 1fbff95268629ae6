/**
 * @module reactions-bar — the row of reactions (the fixed set of src/protocol/room-vocabulary.ts). A tap sends a
 * react action; the server drops taps beyond its per-second limit, so nothing is queued here.
 */
import { REACTIONS, type Reaction } from '../../../src/protocol/room-vocabulary.ts';

const NAMES: Record<Reaction, string> = {
  '💯': 'hundred points',
  '😂': 'laughing',
  '👏': 'clapping',
  '❤️': 'heart',
  '🔥': 'fire',
  '👋': 'waving',
  '✊': 'raised fist',
  '🤔': 'thinking',
};

export function ReactionsBar({ onReact }: { onReact: (r: Reaction) => void }) {
  return (
    <div className="reactions-bar" role="group" aria-label="Send a reaction">
      {REACTIONS.map((r) => (
        <button key={r} type="button" className="reaction" onClick={() => onReact(r)} aria-label={`React: ${NAMES[r]}`}>
          <span aria-hidden="true">{r}</span>
        </button>
      ))}
    </div>
  );
}
