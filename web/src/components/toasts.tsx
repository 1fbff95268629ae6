/**
 * @module toasts — short messages that appear at the bottom and leave by themselves ("Link copied",
 * "Your request was declined", an action's refusal). One polite live region so screen readers hear
 * them; errors use an assertive one. A toast may carry one action, a link ("Listen" on "<host> is live"),
 * that opens its page with one click and dismisses the toast.
 */
import { Link } from '../router/history.ts';
import { Store, useStore } from '../store.ts';

export interface ToastAction {
  readonly label: string;
  /** a path inside the app */
  readonly to: string;
}

interface Toast {
  readonly id: number;
  readonly text: string;
  readonly kind: 'info' | 'error';
  readonly action?: ToastAction;
}

const toasts = new Store<readonly Toast[]>([]);
let nextId = 1;

const dismiss = (id: number) => toasts.update((list) => list.filter((t) => t.id !== id));

export function showToast(text: string, kind: Toast['kind'] = 'info', ms = 3500): void {
  const id = nextId++;
  toasts.update((list) => [...list.filter((t) => t.text !== text), { id, text, kind }].slice(-2));
  setTimeout(() => dismiss(id), ms);
}

/** a toast with a link to act on it; it stays longer, since it asks the person to do something */
export function showActionToast(text: string, action: ToastAction, ms = 20_000): void {
  const id = nextId++;
  toasts.update((list) => [...list.filter((t) => t.text !== text), { id, text, kind: 'info' as const, action }].slice(-2));
  setTimeout(() => dismiss(id), ms);
}

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div className="toasts">
      <div role="status" aria-live="polite">
        {list
          .filter((t) => t.kind === 'info')
          .map((t) =>
            t.action ? (
              <p key={t.id} className="toast toast-action">
                <span>{t.text}</span>
                <Link to={t.action.to} className="btn btn-primary btn-small" onClick={() => dismiss(t.id)}>
                  {t.action.label}
                </Link>
              </p>
            ) : (
              <p key={t.id} className="toast">
                {t.text}
              </p>
            ),
          )}
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
