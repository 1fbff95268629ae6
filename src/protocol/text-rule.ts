/**
 * @module text-rule — the one rule for what text Amphi accepts from outside, applied at the edge to every
 * string that comes in (path and query parameters, JSON bodies and their keys, room socket messages, the
 * listener port's query): no NUL character (U+0000: PostgreSQL cannot store it, SQLite can, so the two
 * stores would disagree) and no unpaired UTF-16 surrogate (it has no UTF-8 form: SQLite would keep
 * invalid bytes, PostgreSQL would refuse them). Bytes that are not UTF-8 are refused where they are
 * decoded (transport/request-input.ts), never replaced by U+FFFD. Pure, shared with web/.
 */

/** a NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one */
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** why `s` is not acceptable text, as the end of a sentence about a field, or null when it is */
export function textFault(s: string): string | null {
  const m = BAD_TEXT.exec(s);
  if (m === null) return null;
  return m[0] === '\u0000' ? 'must not contain the NUL character (U+0000)' : 'must not contain an unpaired surrogate (U+D800-U+DFFF): send valid Unicode text';
}

export interface TextFaultAt {
  /** the dotted path of the value or key at fault, as zod names fields ("action.reason", "topics.2"); "" for the value itself */
  readonly field: string;
  readonly fault: string;
}

/**
 * The first string in a parsed JSON value (object keys included) that breaks the rule, or null. Walks
 * with its own stack: a body may nest thousands of levels deep within the size limit.
 */
export function findTextFault(value: unknown): TextFaultAt | null {
  const stack: Array<{ readonly v: unknown; readonly path: string }> = [{ v: value, path: '' }];
  const at = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { v, path } = item;
    if (typeof v === 'string') {
      const fault = textFault(v);
      if (fault !== null) return { field: path, fault };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: at(path, String(i)) });
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (const [key] of entries) {
        const fault = textFault(key);
        // the key itself goes into the answer's message: its bad characters are shown as U+FFFD
        if (fault !== null) return { field: at(path, key.replace(/[\u0000\ud800-\udfff]/g, '\ufffd')), fault: `is a key that ${fault}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        stack.push({ v: child, path: at(path, key) });
      }
    }
  }
  return null;
}
