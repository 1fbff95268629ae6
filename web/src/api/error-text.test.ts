import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/protocol/api-views.ts';
import { ApiError } from './api-error.ts';
import { errorText, textForCode } from './error-text.ts';

describe('error-text', () => {
  it('has its own sentence for every error code the server can send, so no code reaches the screen', () => {
    const missing = ERROR_CODES.filter((code) => textForCode(code, '') === textForCode('no such code', ''));
    expect(missing).toEqual([]);
    for (const code of ERROR_CODES) expect(textForCode(code)).not.toContain(code);
  });

  it("falls back to the server's sentence for a code it does not know, then to a generic one", () => {
    expect(textForCode('brand_new_code', 'The server says why.')).toBe('The server says why.');
    expect(textForCode('brand_new_code')).toBe('Something went wrong. Try again.');
  });

  it('explains client-side failures and never shows a thrown non-ApiError', () => {
    expect(errorText(ApiError.network(new TypeError('fetch failed')))).toMatch(/offline/);
    expect(errorText(new Error('internal detail'))).toBe('Something went wrong. Try again.');
  });
});
