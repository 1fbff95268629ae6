/**
 * @module store/redact-url — a database URL fit for logs and error messages: the password replaced by
 * `***`. Must never return the password, even for a URL it cannot parse.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // not a URL: strip anything between "//user:" and "@" by hand
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
