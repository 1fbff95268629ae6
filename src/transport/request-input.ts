/**
 * @module request-input — reads and validates what a request brings: a JSON body against a zod schema,
 * a query, a path parameter. Every way it can be wrong becomes an AmphiError that names the field: not
 * UTF-8, not JSON, text Amphi does not accept (protocol/text-rule.ts: no NUL, no lone surrogate), the
 * wrong shape, a value out of bounds. Nothing unvalidated ever reaches control/, and no byte is ever
 * silently replaced.
 */
import type { z } from 'zod';
import { AmphiError } from '../control/errors.ts';
import { findTextFault, textFault } from '../protocol/text-rule.ts';

/** fatal: bytes that are not UTF-8 are refused, not turned into U+FFFD; a leading BOM is dropped, as JSON allows */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** the text of a body or socket message; throws `invalid_json` naming `field` when the bytes are not UTF-8 */
export function decodeUtf8(bytes: ArrayBuffer | Uint8Array, field = 'body'): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AmphiError('invalid_json', `The ${field} is not valid UTF-8 text; JSON must be sent as UTF-8.`, { field });
  }
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AmphiError('invalid_json', 'The request body is not valid JSON.');
  }
}

/**
 * A request that carries a body must say it is JSON (`application/json`, UTF-8 if a charset is named):
 * a form, text/plain or multipart is what a page on another site can send without asking, so it is
 * refused with 415 before anything reads it. A request with no body (Content-Length 0 or absent, no
 * Transfer-Encoding) needs no Content-Type: several actions take no body (start, cancel, follow...).
 */
export function requireJsonBody(headers: { get(name: string): string | null }): void {
  const length = headers.get('content-length');
  const hasBody = headers.get('transfer-encoding') !== null || (length !== null && length.trim() !== '0');
  if (!hasBody) return;
  const type = headers.get('content-type');
  const [media = '', ...params] = (type ?? '').split(';').map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (media === 'application/json' && (charset === undefined || charset === 'utf-8')) return;
  throw new AmphiError(
    'unsupported_media_type',
    type === null ? 'This request has a body but no Content-Type: send JSON as application/json.' : `Request bodies must be JSON sent as application/json (UTF-8), not ${type.slice(0, 100)}.`,
  );
}

/** the body of an HTTP request as JSON (empty: `{}`), its bytes checked to be UTF-8 */
export async function readJson(req: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<unknown> {
  return parseJson(decodeUtf8(await req.arrayBuffer()));
}

const fieldError = (field: string, what: string): AmphiError =>
  new AmphiError('bad_request', field === '' ? what : `${field}: ${what}`, field === '' ? {} : { field });

/** checks the text rule on every string of `value` first, then the schema */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const bad = findTextFault(value);
  if (bad !== null) throw fieldError(bad.field === '' ? 'body' : bad.field, bad.fault);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '';
  throw fieldError(field, issue ? issue.message : 'invalid input');
}

/** a path parameter's value, checked against the text rule (its length is the caller's) */
export function checkParam(name: string, value: string): string {
  const fault = textFault(value);
  if (fault !== null) throw fieldError(name, fault);
  return value;
}
