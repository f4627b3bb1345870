/**
 * Signed links in marketing messages: the one-click unsubscribe (RFC 8058) and tracked clicks.
 * A token is `<payload>.<mac>` in base64url: the payload names the contact, the campaign (or
 * none) and, for a click, the link's index in the campaign's links (the URL itself stays in the
 * campaign, so a token is short and cannot point anywhere else); the HMAC-SHA256 key is derived from SECRET_KEY, so every
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
    mac: (payload) => createHmac('sha256', key).update(payload).digest('base64url').slice(0, 22),
  };
}

export interface LinkClaims {
  contactId: string;
  campaignId: string | null;
  /** Set for a tracked click: the link's place in the campaign's links (campaignLinks). */
  link?: number;
}

const NO_CAMPAIGN = '000000000000000000000000';

/** Compact: contact (12 bytes), campaign (12, zeros for none), link index (2): short URLs. */
export function signLink(keys: LinkKeys, claims: LinkClaims): string {
  const parts = [
    Buffer.from(claims.contactId, 'hex'),
    Buffer.from(claims.campaignId ?? NO_CAMPAIGN, 'hex'),
  ];
  if (claims.link !== undefined) {
    const index = Buffer.alloc(2);
    index.writeUInt16BE(claims.link);
    parts.push(index);
  }
  const payload = Buffer.concat(parts).toString('base64url');
  return `${payload}.${keys.mac(payload)}`;
}

/** The claims of a token this install signed; null for anything else. */
export function verifyLink(keys: LinkKeys, token: string): LinkClaims | null {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined || token.length > 200) return null;
  const expected = Buffer.from(keys.mac(payload));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length !== 24 && bytes.length !== 26) return null;
  const campaignId = bytes.subarray(12, 24).toString('hex');
  return {
    contactId: bytes.subarray(0, 12).toString('hex'),
    campaignId: campaignId === NO_CAMPAIGN ? null : campaignId,
    ...(bytes.length === 26 ? { link: bytes.readUInt16BE(24) } : {}),
  };
}

export const unsubscribeUrl = (keys: LinkKeys, claims: LinkClaims): string =>
  `${keys.base}/u/${signLink(keys, { contactId: claims.contactId, campaignId: claims.campaignId })}`;

export const clickUrl = (keys: LinkKeys, claims: LinkClaims & { link: number }): string =>
  `${keys.base}/c/${signLink(keys, claims)}`;

export const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"')\]]+/g;

/** Every distinct link of a campaign's texts (all variants, es then en), in a fixed order. */
export function campaignLinks(
  messages: Array<Record<string, { text: string } | undefined>>,
): string[] {
  const links = new Set<string>();
  for (const m of messages) {
    for (const lang of ['es', 'en']) {
      for (const url of m[lang]?.text.match(URL_IN_TEXT) ?? []) links.add(url);
    }
  }
  return [...links].slice(0, 65_535);
}
