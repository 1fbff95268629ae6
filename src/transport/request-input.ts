/**
 * @module request-input — reads and validates a JSON request body against a zod schema, turning every
 * way it can be wrong into an AmphiError that names the field: not JSON, the wrong shape, a value out of
 * bounds. Nothing unvalidated ever reaches control/.
 */
import type { z } from 'zod';
import { AmphiError } from '../control/errors.ts';

export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AmphiError('invalid_json', 'The request body is not valid JSON.');
  }
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const what = issue ? issue.message : 'invalid input';
  throw new AmphiError('bad_request', field ? `${field}: ${what}` : what, field === undefined ? {} : { field });
}
