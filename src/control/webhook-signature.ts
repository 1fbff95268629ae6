/**
 * @module webhook-signature — how Amphi signs a webhook body so receivers can trust it: HMAC-SHA256 over
 * "<timestamp>.<body>" with the webhook's secret (its own, or the server's), sent as
 * `X-Amphi-Signature: sha256=<hex>` beside `X-Amphi-Timestamp`. Receivers recompute it, compare in
 * constant time, and refuse old timestamps to stop replays. No I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-amphi-signature';
export const TIMESTAMP_HEADER = 'x-amphi-timestamp';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
