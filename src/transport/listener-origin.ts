/**
 * @module listener-origin — where a browser opens the listener sockets. With `ws` they share the page's
 * origin; with uWebSockets.js they are on AMPHI_LISTEN_PORT of the same host the page came from (so
 * one ticket works from 127.0.0.1, a LAN name or a public name alike), unless AMPHI_LISTEN_URL says
 * where a proxy serves them. Pure: it never trusts more of the Host header than a host name and port.
 */
export interface ListenerOriginConfig {
  readonly sockets: 'uws' | 'ws';
  /** the bound uWS listener port */
  readonly listenPort: number;
  /** AMPHI_LISTEN_URL, already checked to be a ws(s) origin */
  readonly listenUrl: string | null;
  /** AMPHI_PUBLIC_URL's origin: its scheme says ws or wss, its host is the fallback */
  readonly publicUrl: string;
}

const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

export function listenerOriginFor(cfg: ListenerOriginConfig): (requestHost: string | undefined) => string {
  if (cfg.listenUrl !== null) {
    const fixed = cfg.listenUrl;
    return () => fixed;
  }
  const pub = new URL(cfg.publicUrl);
  const scheme = pub.protocol === 'https:' ? 'wss:' : 'ws:';
  return (requestHost) => {
    const m = requestHost === undefined ? null : HOST.exec(requestHost);
    const hostname = m?.[1] ?? pub.hostname;
    if (cfg.sockets === 'ws') return `${scheme}//${m !== null && m !== undefined ? requestHost : pub.host}`;
    return `${scheme}//${hostname}:${cfg.listenPort}`;
  };
}
