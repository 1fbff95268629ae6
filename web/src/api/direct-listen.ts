/**
 * @module direct-listen — where a signed-out listener joins a room's audio directly, with no ticket
 * request first: the server names the listener origin in index.html (meta `amphi-listen-origin`, a
 * ws(s) origin or ":PORT" for this page's host on that port). Absent (a `ws` server, an old page), the
 * player asks for tickets as before. Reads the page once; never used for signed-in people, whose
 * tickets come from the API because it knows their blocks and removals.
 */
import { directListenerUrl } from '../../../src/protocol/listener-query.ts';

const META = 'amphi-listen-origin';

let cached: string | null | undefined;

function listenOrigin(): string | null {
  if (cached !== undefined) return cached;
  const raw = document.querySelector(`meta[name="${META}"]`)?.getAttribute('content')?.trim() ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  if (/^:\d{1,5}$/.test(raw)) cached = `${scheme}://${location.hostname}${raw}`;
  else if (/^wss?:\/\/[^/?#\s]+$/.test(raw)) cached = raw;
  else cached = null;
  return cached;
}

/** the direct join URL of a room (`…/ws/listen?room=ID`), or null when this server has none */
export function directListenUrl(roomId: string): string | null {
  const origin = listenOrigin();
  return origin === null ? null : directListenerUrl(origin, roomId);
}
