/**
 * Signed links in marketing messages: the one-click unsubscribe (RFC 8058) and tracked clicks.
 * A token is `<payload>.<mac>` in base64url: the payload names the contact, the campaign (or `-`)
 * and, for a click, the target URL; the HMAC-SHA256 key is derived from SECRET_KEY, so every
 * instance of an install verifies every other's links and nobody can forge one for another
 * contact.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DEV_SECRET_KEY } from '../../kernel/secret-box.js';

export interface LinkKeys {
  mac(payload: string): string;
  /** Where the links point: PUBLIC_URL, else the local server. */
  base: string;
}

export function linkKeys(secretKey: string | undefined, base: string): LinkKeys {
  const key = createHash('sha256')
    .update(`charla-campaign-links:${secretKey ?? DEV_SECRET_KEY}`)
    .digest();
  return {
    base: base.replace(/\/$/, ''),
    mac: (payload) => createHmac('sha256', key).update(payload).digest('base64url').slice(0, 32),
  };
}

export interface LinkClaims {
  contactId: string;
  campaignId: string | null;
  /** Set for a tracked click: where to go. */
  url?: string;
}

export function signLink(keys: LinkKeys, claims: LinkClaims): string {
  const parts = [claims.contactId, claims.campaignId ?? '-', ...(claims.url ? [claims.url] : [])];
  const payload = Buffer.from(parts.join('\n'), 'utf8').toString('base64url');
  return `${payload}.${keys.mac(payload)}`;
}

/** The claims of a token this install signed; null for anything else. */
export function verifyLink(keys: LinkKeys, token: string): LinkClaims | null {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined || token.length > 4000) return null;
  const expected = Buffer.from(keys.mac(payload));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [contactId, campaignId, ...url] = Buffer.from(payload, 'base64url')
    .toString('utf8')
    .split('\n');
  if (!contactId || !/^[0-9a-f]{24}$/i.test(contactId) || !campaignId) return null;
  return {
    contactId,
    campaignId: campaignId === '-' ? null : campaignId,
    ...(url.length ? { url: url.join('\n') } : {}),
  };
}

export const unsubscribeUrl = (keys: LinkKeys, claims: LinkClaims): string =>
  `${keys.base}/u/${signLink(keys, { contactId: claims.contactId, campaignId: claims.campaignId })}`;

export const clickUrl = (keys: LinkKeys, claims: LinkClaims & { url: string }): string =>
  `${keys.base}/c/${signLink(keys, claims)}`;
