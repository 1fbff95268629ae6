/**
 * @module pin-url — the strict check for links pinned in a room: http or https, written with `//`, a
 * host name, no user name or password (a classic way to disguise where a link goes), no spaces or
 * control characters, at most LIMITS.pinUrlMaxChars. Parsing with the `URL` global reads nothing from
 * the network; it only normalises (lower-case host, trailing slash) so duplicates are caught.
 */
import { LIMITS } from './limits.ts';

const SCHEME = /^https?:\/\//i;
const SPACE_OR_CONTROL = /[\s\p{Cc}]/u;

/** The normalised URL to store, or null if the link is not acceptable. */
export function normalisePinUrl(raw: string): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > LIMITS.pinUrlMaxChars) return null;
  if (!SCHEME.test(text) || SPACE_OR_CONTROL.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // A parse failure is the answer here, not an error to report: the link is simply not acceptable.
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return null;
  // Normalising can lengthen a link (e.g. percent-encoding), so the limit holds for what is stored too.
  return url.href.length > LIMITS.pinUrlMaxChars ? null : url.href;
}
