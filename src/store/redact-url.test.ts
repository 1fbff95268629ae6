/**
 * @module store/redact-url.test — database URLs in messages never show a password.
 */
import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('replaces the password and keeps the rest', () => {
    expect(redactUrl('postgres://amphi:s3cr%40t@db.local:5432/amphi?sslmode=require')).toBe(
      'postgres://amphi:***@db.local:5432/amphi?sslmode=require',
    );
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('hides the password of a string that is not a valid URL', () => {
    expect(redactUrl('postgres://amphi:pa ss@[bad/x')).not.toContain('pa ss');
  });
});
