/**
 * @module listener-client-error — what can go wrong inside a listener connection that is not simply the
 * network: a message it cannot decode, a token it cannot get, a reconnect policy that throws. Reported
 * through onError; the connection carries on (or stops, for a policy that throws). Pure.
 */
export type ListenerClientErrorCode = 'malformed_message' | 'token_unavailable' | 'socket_failed' | 'policy_failed';

export class ListenerClientError extends Error {
  override readonly name = 'ListenerClientError';
  constructor(
    readonly code: ListenerClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
