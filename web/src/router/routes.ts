/**
 * @module routes — the app's pages as a union, and the pure mapping between a URL path and a route.
 * No DOM here, so it can be tested on its own.
 */
export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'signIn'; readonly next: string | null }
  | { readonly name: 'signUp'; readonly next: string | null }
  | { readonly name: 'profile'; readonly handle: string }
  | { readonly name: 'createRoom' }
  | { readonly name: 'room'; readonly roomId: string }
  | { readonly name: 'notFound'; readonly path: string };

/** only same-site paths may be a `next`, so a crafted link cannot send someone elsewhere after sign-in */
function safeNext(v: string | null): string | null {
  return v !== null && v.startsWith('/') && !v.startsWith('//') ? v : null;
}

function segment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export function matchRoute(pathname: string, search = ''): Route {
  const q = new URLSearchParams(search);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { name: 'home' };
  if (path === '/signin') return { name: 'signIn', next: safeNext(q.get('next')) };
  if (path === '/signup') return { name: 'signUp', next: safeNext(q.get('next')) };
  if (path === '/new') return { name: 'createRoom' };
  const user = /^\/u\/([^/]+)$/.exec(path);
  if (user?.[1]) {
    const handle = segment(user[1]);
    if (handle) return { name: 'profile', handle };
  }
  const room = /^\/rooms\/([A-Za-z0-9-]{1,64})$/.exec(path);
  if (room?.[1]) return { name: 'room', roomId: room[1] };
  return { name: 'notFound', path };
}

export const paths = {
  home: () => '/',
  signIn: (next?: string) => (next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'),
  signUp: (next?: string) => (next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'),
  profile: (handle: string) => `/u/${encodeURIComponent(handle)}`,
  createRoom: () => '/new',
  room: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}`,
};
