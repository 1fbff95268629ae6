/**
 * @module toasts — short messages that appear at the bottom and leave by themselves ("Link copied",
 * "Your request was declined", an action's refusal). One polite live region so screen readers hear
 * them; errors use an assertive one.
 */
import { Store, useStore } from '../store.ts';

interface Toast {
  readonly id: number;
  readonly text: string;
  readonly kind: 'info' | 'error';
}

const toasts = new Store<readonly Toast[]>([]);
let nextId = 1;

export function showToast(text: string, kind: Toast['kind'] = 'info', ms = 3500): void {
  const id = nextId++;
  toasts.update((list) => [...list.filter((t) => t.text !== text), { id, text, kind }].slice(-2));
  setTimeout(() => toasts.update((list) => list.filter((t) => t.id !== id)), ms);
}

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div className="toasts">
      <div role="status" aria-live="polite">
        {list
          .filter((t) => t.kind === 'info')
          .map((t) => (
            <p key={t.id} className="toast">
              {t.text}
            </p>
          ))}
      </div>
      <div role="alert" aria-live="assertive">
        {list
          .filter((t) => t.kind === 'error')
          .map((t) => (
            <p key={t.id} className="toast toast-error">
              {t.text}
            </p>
          ))}
      </div>
    </div>
  );
}
