/**
 * What a delivery's signature covers: `X-Charla-Signature: sha256=<hex>` is the HMAC-SHA256,
 * keyed with the webhook's secret, of `<X-Charla-Timestamp>.<raw body>` (the timestamp in Unix
 * seconds, a dot, then the body bytes exactly as sent). Receivers recompute it and compare in
 * constant time, and may refuse old timestamps to stop replays.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const newSecret = (): string => randomBytes(32).toString('hex');

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when `header` is the signature of (timestamp, body) with `secret`. */
export function verifySignature(
  secret: string,
  timestamp: string | number,
  body: string,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(signature(secret, Number(timestamp), body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
