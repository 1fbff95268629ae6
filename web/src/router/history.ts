/**
 * @module history — a tiny history-based router: the current location as a store React subscribes
 * to, navigate() that pushes or replaces, and <Link> that turns plain left clicks into navigations
 * (modified clicks keep the browser's behaviour: new tab, new window).
 */
import { createElement, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { matchRoute, type Route } from './routes.ts';

const CHANGE = 'amphi:navigate';

interface Place {
  readonly key: string;
  readonly route: Route;
}

let current: Place = read();

function read(): Place {
  return { key: location.pathname + location.search, route: matchRoute(location.pathname, location.search) };
}

function refresh(): void {
  const next = read();
  if (next.key !== current.key) current = next;
}

function subscribe(cb: () => void): () => void {
  const on = () => {
    refresh();
    cb();
  };
  window.addEventListener('popstate', on);
  window.addEventListener(CHANGE, on);
  return () => {
    window.removeEventListener('popstate', on);
    window.removeEventListener(CHANGE, on);
  };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => current).route;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { readonly to: string };

export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return createElement('a', { ...rest, href: to, onClick: handle });
}
