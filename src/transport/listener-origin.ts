/**
 * @module listener-origin — where a browser opens the listener sockets, and where a signed-out one may
 * ask for its next ticket. With `ws` the sockets share the page's origin; with uWebSockets.js they are on
 * AMPHI_LISTEN_PORT, or behind a proxy at AMPHI_LISTEN_URL. The request's Host is used only when
 * AMPHI_PUBLIC_URL is not set (a bare `npm start` reached as 127.0.0.1, a LAN name or a public name
 * alike); once it is set, addresses come from it, because a proxy may rewrite Host. Pure: it never
 * trusts more of a Host header than a host name and a port.
 */
export interface ListenerOriginConfig {
  readonly sockets: 'uws' | 'ws';
  /** the bound uWS listener port */
  readonly listenPort: number;
  /** AMPHI_LISTEN_URL, already checked to be a ws(s) origin */
  readonly listenUrl: string | null;
  /** AMPHI_PUBLIC_URL's origin (or the default built from host and port) */
  readonly publicUrl: string;
  /** whether AMPHI_PUBLIC_URL was given */
  readonly publicUrlSet: boolean;
}

const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/** the ws(s) origin of the listener sockets for a request that came with `requestHost` */
export function listenerOriginFor(cfg: ListenerOriginConfig): (requestHost: string | undefined) => string {
  if (cfg.listenUrl !== null) {
    const fixed = cfg.listenUrl;
    return () => fixed;
  }
  const pub = new URL(cfg.publicUrl);
  const scheme = pub.protocol === 'https:' ? 'wss:' : 'ws:';
  return (requestHost) => {
    const m = cfg.publicUrlSet || requestHost === undefined ? null : HOST.exec(requestHost);
    const host = m === null ? pub.host : (requestHost as string);
    const hostname = m?.[1] ?? pub.hostname;
    return cfg.sockets === 'ws' ? `${scheme}//${host}` : `${scheme}//${hostname}:${cfg.listenPort}`;
  };
}

/**
 * where signed-out listeners may ask for their next ticket (the listener port, same path), or null:
 * with `ws` there is no such port, and behind AMPHI_LISTEN_URL the proxy decides what reaches it
 */
export function ticketOriginFor(cfg: ListenerOriginConfig): (requestHost: string | undefined) => string | null {
  if (cfg.sockets === 'ws' || cfg.listenUrl !== null) return () => null;
  const origin = listenerOriginFor(cfg);
  return (requestHost) => origin(requestHost).replace(/^ws/, 'http');
}

/**
 * what index.html tells the web app about direct joins (web-app.ts): the listener origin when it is
 * fixed (AMPHI_LISTEN_URL, or AMPHI_PUBLIC_URL set), ":PORT" when it follows the host name the page
 * was reached by (so it is the same for every visitor and can be built once), null with `ws` (the
 * direct join lives on the uWebSockets.js port only)
 */
export function directOriginFor(cfg: ListenerOriginConfig): string | null {
  if (cfg.sockets === 'ws') return null;
  if (cfg.listenUrl !== null || cfg.publicUrlSet) return listenerOriginFor(cfg)(undefined);
  return `:${cfg.listenPort}`;
}

/**
 * whether a page at `origin` is one of Amphi's own, so it may read a ticket from the listener port
 * (another port is another origin): the public URL's, or without one, every page on the host asked
 */
export function pageAllowedFor(cfg: ListenerOriginConfig): (origin: string, requestHost: string | undefined) => boolean {
  const pub = new URL(cfg.publicUrl).origin;
  return (origin, requestHost) => {
    if (origin === pub) return true;
    if (cfg.publicUrlSet || requestHost === undefined) return false;
    const m = HOST.exec(requestHost);
    try {
      return m !== null && new URL(origin).hostname === new URL(`http://${m[1] ?? ''}`).hostname;
    } catch {
      return false;
    }
  };
}
