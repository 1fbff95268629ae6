/**
 * @module bench/janus-error — the one error class of the `janus` scenario, with a code for each way it
 * can fail: a tool missing that apt could not install, Janus or its feeder not starting, the Janus API
 * answering with an error or not at all, an offer the light listener cannot answer, a WebRTC listener
 * that never connected (ICE) or never finished its DTLS handshake. Listeners that fail
 * during a ramp are counted by code, not thrown, so one bad peer never ends a run.
 */
export type JanusErrorCode =
  | 'not_installed'
  | 'start_failed'
  | 'api_error'
  | 'api_timeout'
  | 'bad_answer'
  | 'no_offer'
  | 'ice_failed'
  | 'ice_timeout'
  | 'bad_offer'
  | 'dtls_failed'
  | 'dtls_timeout'
  | 'generator_failed';

export class JanusBenchError extends Error {
  override readonly name = 'JanusBenchError';
  constructor(
    readonly code: JanusErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** the code of any error for failure counts: ours by code, fetch's by its name (TimeoutError, TypeError) */
export function failureCode(err: unknown): string {
  if (err instanceof JanusBenchError) return err.code;
  if (err instanceof Error) return err.name;
  return 'unknown';
}
