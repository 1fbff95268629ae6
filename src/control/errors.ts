/**
 * @module control/errors — the one error class the control layer raises on purpose. It carries a
 * machine-readable code from protocol's ERROR_CODES, a sentence for people, and optionally the input
 * field at fault; transport/ maps the code to an HTTP status or a WS error frame in one table.
 * Anything else thrown is a bug and becomes a logged 500 `internal`.
 */
import type { Rejection } from '../domain/rejections.ts';
import type { ErrorCode } from '../protocol/api-views.ts';

export class AmphiError extends Error {
  override readonly name = 'AmphiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { readonly field?: string; readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  static fromRejection(r: Rejection): AmphiError {
    return new AmphiError(r.code, r.message);
  }
  static roomNotFound(): AmphiError {
    return new AmphiError('room_not_found', 'There is no room with this id.');
  }
  static userNotFound(): AmphiError {
    return new AmphiError('user_not_found', 'There is no such account.');
  }
  static unauthorized(): AmphiError {
    return new AmphiError('unauthorized', 'Sign in first.');
  }
  static rateLimited(retryAfterSeconds: number, what: string): AmphiError {
    return new AmphiError('rate_limited', `Too many ${what}. Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
