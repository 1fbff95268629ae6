/**
 * @module api-error — the one error class of the web client: every failure of a request or a room
 * action carries a code (the server's, e.g. stage_full, or one of the client's own below) and the
 * server's message. Views never show these raw: they go through error-text.ts.
 */
import type { ErrorCode } from '../../../src/protocol/api-views.ts';

/** failures the browser itself detects, beside the server's codes */
export type ClientErrorCode = 'network' | 'timeout' | 'connection_lost' | 'bad_response';

export type ApiErrorCode = ErrorCode | ClientErrorCode;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode | (string & {});
  /** HTTP status, or null for socket and client-side failures */
  readonly status: number | null;
  /** the input field at fault, for validation errors */
  readonly field: string | null;

  constructor(code: ApiErrorCode | (string & {}), message: string, extra: { status?: number; field?: string; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.code = code;
    this.status = extra.status ?? null;
    this.field = extra.field ?? null;
  }

  static network(cause: unknown): ApiError {
    return new ApiError('network', 'The server could not be reached.', { cause });
  }

  static timeout(): ApiError {
    return new ApiError('timeout', 'The server took too long to answer.');
  }

  static connectionLost(): ApiError {
    return new ApiError('connection_lost', 'The connection dropped before the server answered.');
  }

  static badResponse(status: number): ApiError {
    return new ApiError('bad_response', `Unexpected answer from the server (HTTP ${status}).`, { status });
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
