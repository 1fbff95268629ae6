/**
 * @module bus/revocations-wire — a list of revocations as one NATS message between nodes: JSON
 * `{ from, revocations: [{ roomId, userId, at, cause }] }`, where `from` is the sending node's id (a
 * node skips its own messages when NATS echoes them back). One shape for a single new revocation, a
 * sync request and a sync answer, so there is one thing to check. Decoding checks every field and
 * throws RevocationWireError rather than let a half-formed revocation into the map; it never trusts a
 * peer further than the shape.
 */
import { z } from 'zod';
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { Revocation } from './revocations.ts';

export interface RevocationsEnvelope {
  readonly from: string;
  readonly revocations: readonly Revocation[];
}

export type RevocationWireErrorCode = 'not_json' | 'bad_shape';

/** why a message on a revocations subject was not taken in */
export class RevocationWireError extends Error {
  override readonly name = 'RevocationWireError';
  private constructor(
    readonly code: RevocationWireErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }

  static notJson(subject: string, cause: unknown): RevocationWireError {
    return new RevocationWireError('not_json', `a message on ${subject} is not JSON`, cause);
  }

  static badShape(subject: string, issue: string): RevocationWireError {
    return new RevocationWireError('bad_shape', `a message on ${subject} is no list of revocations: ${issue}`);
  }
}

const envelopeSchema = z.object({
  from: z.string(),
  revocations: z.array(
    z.object({
      roomId: z.string().min(1),
      userId: z.string().min(1),
      // JSON.parse reads 1e999 as Infinity and zod refuses it: an instant that never passes would be kept for good
      at: z.number(),
      cause: z.enum(['removed', 'blocked']),
    }),
  ),
});

export function encodeRevocations(env: RevocationsEnvelope): string {
  return JSON.stringify(env);
}

/** the envelope in `data`, received on `subject` (named in the error); throws RevocationWireError */
export function decodeRevocations(subject: string, data: Uint8Array): RevocationsEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch (err) {
    throw RevocationWireError.notJson(subject, err);
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) throw RevocationWireError.badShape(subject, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return {
    from: parsed.data.from,
    revocations: parsed.data.revocations.map((r) => ({ roomId: asRoomId(r.roomId), userId: asUserId(r.userId), at: r.at, cause: r.cause })),
  };
}
