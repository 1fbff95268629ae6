/**
 * @module control/errors — the one error class the control layer raises on purpose. It carries a
 * machine-readable code from protocol's ERROR_CODES, a sentence for people, and optionally the input
 * field at fault; transport/ maps the code to an HTTP status or a WS error frame in one table.
 * `publicError` is the one place a failure below becomes what a client is told: the store out of reach
 * is 503 `unavailable` with Retry-After, the same on HTTP and on the room socket. Anything else thrown
 * is a bug and becomes a logged 500 `internal`.
 */
import type { Rejection } from '../domain/rejections.ts';
import type { ErrorCode } from '../protocol/api-views.ts';
import { StoreError } from '../store/types.ts';

/** Retry-After while the database is out of reach: outages last seconds, and the store fails a call within 5 s */
export const STORE_RETRY_AFTER_SECONDS = 5;

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

/** the store could not reach its database: reported once per outage by the store, never per request */
export function isStoreOutage(err: unknown): err is StoreError {
  return err instanceof StoreError && err.code === 'unavailable';
}

/** what a client is told about `err`: an AmphiError as it is, a store outage as 503; null for a bug */
export function publicError(err: unknown): AmphiError | null {
  if (err instanceof AmphiError) return err;
  if (isStoreOutage(err)) {
    return new AmphiError('unavailable', `Amphi cannot reach its database right now. Try again in ${STORE_RETRY_AFTER_SECONDS} s.`, {
      retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
    });
  }
  return null;
}
