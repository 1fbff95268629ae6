/**
 * @module errors — the media plane's one error class, `MediaError`, with a closed set of reason codes
 * and static factories, so callers branch on `error.reason` instead of parsing messages. It must never
 * carry room or account vocabulary: media errors speak of members, peers, packets and codecs.
 */

export type MediaErrorReason =
  | 'closed'
  | 'member-exists'
  | 'unknown-member'
  | 'bad-offer'
  | 'ice-timeout'
  | 'no-port'
  | 'consumer-exists'
  | 'codec-failure'
  | 'bad-argument';

export class MediaError extends Error {
  override readonly name = 'MediaError';
  readonly reason: MediaErrorReason;

  protected constructor(reason: MediaErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }

  static closed(what: string): MediaError {
    return new MediaError('closed', `${what} is closed`);
  }

  static memberExists(id: string): MediaError {
    return new MediaError('member-exists', `member ${id} is already on the stage`);
  }

  static unknownMember(id: string): MediaError {
    return new MediaError('unknown-member', `member ${id} is not on the stage`);
  }

  static badOffer(detail: string, cause?: unknown): MediaError {
    return new MediaError('bad-offer', `offer rejected: ${detail}`, { cause });
  }

  static iceTimeout(ms: number): MediaError {
    return new MediaError('ice-timeout', `ICE gathering did not complete within ${ms} ms`);
  }

  static noPort(range: readonly [number, number]): MediaError {
    return new MediaError('no-port', `no free UDP port in ${range[0]}-${range[1]} (AMPHI_RTC_PORTS): every port holds a stage member's peer`);
  }

  static consumerExists(what: string): MediaError {
    return new MediaError('consumer-exists', `${what} already has its one consumer`);
  }

  static codecFailure(detail: string, cause?: unknown): MediaError {
    return new MediaError('codec-failure', `opus: ${detail}`, { cause });
  }

  static badArgument(detail: string): MediaError {
    return new MediaError('bad-argument', detail);
  }
}
