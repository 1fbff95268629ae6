/**
 * @module same-origin — whether a state-changing request or a room socket upgrade comes from one of
 * Amphi's own pages, read from the Origin header a browser sends (none: not a browser, allowed; the
 * session cookie is SameSite and the body must be JSON, so a form on another site cannot forge one).
 * With AMPHI_PUBLIC_URL set, that origin alone, whatever the Host header says (anyone can send any
 * Host). Without it, Amphi is reached directly over plain HTTP by whatever name, so the page's origin
 * is `http://` + the Host it asked: the scheme counts, an https page is another origin. Pure.
 */
export interface SameOriginConfig {
  /** AMPHI_PUBLIC_URL's origin, or the default built from host and port */
  readonly publicUrl: string;
  readonly publicUrlSet: boolean;
}

export type OriginCheck = (origin: string | undefined, host: string | undefined) => boolean;

export function sameOriginCheck(cfg: SameOriginConfig): OriginCheck {
  const own = new URL(cfg.publicUrl).origin;
  return (origin, host) => {
    if (origin === undefined) return true;
    if (origin === own) return true;
    // browsers send the origin in lower case; a Host header may come in any case
    return !cfg.publicUrlSet && host !== undefined && origin === `http://${host.toLowerCase()}`;
  };
}
