/**
 * @module delivery-error — the one error class of listener delivery, with a code for each way a caller
 * can misuse it (bad configuration, frames out of order). Listener trouble is never an error here: slow
 * or gone listeners are counted and closed, they never throw into the publisher.
 */
export type DeliveryErrorCode = 'invalid_config' | 'seq_not_increasing' | 'stream_exists' | 'invalid_secret';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  private constructor(
    readonly code: DeliveryErrorCode,
    message: string,
  ) {
    super(message);
  }

  static invalidConfig(what: string): DeliveryError {
    return new DeliveryError('invalid_config', what);
  }

  static seqNotIncreasing(seq: number, newest: number): DeliveryError {
    return new DeliveryError('seq_not_increasing', `frame seq ${seq} does not follow newest seq ${newest}`);
  }

  static streamExists(streamId: string): DeliveryError {
    return new DeliveryError('stream_exists', `stream ${streamId} is already open`);
  }

  static invalidSecret(): DeliveryError {
    return new DeliveryError('invalid_secret', 'join token secret must be at least 32 bytes');
  }
}
