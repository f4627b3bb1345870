/**
 * Slack request signing (v0): `x-slack-signature` = 'v0=' + hex HMAC-SHA256(signingSecret,
 * `v0:${timestamp}:${rawBody}`). Checked here rather than by Bolt because Bolt accepts
 * timestamps from the future; we reject any more than five minutes away in either direction.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'missing_signature' | 'stale_timestamp' | 'bad_signature'; message: string };

export function signSlackRequest(
  signingSecret: string,
  timestamp: number,
  rawBody: string,
): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`);
  return `v0=${hmac.digest('hex')}`;
}

export function verifySlackSignature(opts: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowSeconds?: number;
}): SignatureCheck {
  const { signingSecret, timestamp, signature, rawBody } = opts;
  if (!timestamp || !signature) {
    return {
      ok: false,
      code: 'missing_signature',
      message: 'The x-slack-signature and x-slack-request-timestamp headers are required.',
    };
  }
  const ts = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > MAX_CLOCK_SKEW_SECONDS) {
    return {
      ok: false,
      code: 'stale_timestamp',
      message: 'The request timestamp is more than five minutes away from our clock.',
    };
  }
  const expected = Buffer.from(signSlackRequest(signingSecret, ts, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'bad_signature', message: 'The request signature is not valid.' };
  }
  return { ok: true };
}
