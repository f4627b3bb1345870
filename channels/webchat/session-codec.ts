/**
 * Self-verifying web chat credentials, so that a forged or unknown session is refused before any
 * database lookup (a flood of them then costs a few HMACs, not queries):
 *   session id = base64url(16 random bytes ‖ first 12 bytes of HMAC(secret, "id" ‖ random))
 *   token      = base64url(24 random bytes ‖ first 16 bytes of HMAC(secret, "token" ‖ id ‖ random))
 * The token is bound to its session id. The database still holds only the token's SHA-256 and is
 * checked after the MAC: knowing the secret alone does not open anyone's conversation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_RANDOM = 16;
const ID_MAC = 12;
const TOKEN_RANDOM = 24;
const TOKEN_MAC = 16;

/** 28 bytes in base64url: 38 characters. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{38}$/;
/** 40 bytes in base64url: 54 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{54}$/;

export interface SessionCodec {
  newSessionId(): string;
  newToken(sessionId: string): string;
  /** Issued by this server (whatever the database says). */
  isSessionId(sessionId: string): boolean;
  /** Issued by this server for this session id. */
  isTokenOf(sessionId: string, token: string): boolean;
}

export function createSessionCodec(secret: string): SessionCodec {
  const mac = (label: string, ...parts: Buffer[]) => {
    const h = createHmac('sha256', secret).update(`charla:webchat:${label}\0`);
    for (const part of parts) h.update(part);
    return h.digest();
  };
  const idMac = (random: Buffer) => mac('session-id', random).subarray(0, ID_MAC);
  const tokenMac = (sessionId: string, random: Buffer) =>
    mac('token', Buffer.from(`${sessionId}\0`), random).subarray(0, TOKEN_MAC);

  /** Splits a base64url credential into its random part and its MAC, or undefined. */
  const split = (value: string, pattern: RegExp, randomLength: number) => {
    if (!pattern.test(value)) return undefined;
    const bytes = Buffer.from(value, 'base64url');
    // The last character has spare bits: only the canonical spelling is accepted.
    if (bytes.toString('base64url') !== value) return undefined;
    return { random: bytes.subarray(0, randomLength), mac: bytes.subarray(randomLength) };
  };

  return {
    newSessionId() {
      const random = randomBytes(ID_RANDOM);
      return Buffer.concat([random, idMac(random)]).toString('base64url');
    },
    newToken(sessionId) {
      const random = randomBytes(TOKEN_RANDOM);
      return Buffer.concat([random, tokenMac(sessionId, random)]).toString('base64url');
    },
    isSessionId(sessionId) {
      const parts = split(sessionId, SESSION_ID_PATTERN, ID_RANDOM);
      return parts !== undefined && timingSafeEqual(parts.mac, idMac(parts.random));
    },
    isTokenOf(sessionId, token) {
      const parts = split(token, TOKEN_PATTERN, TOKEN_RANDOM);
      return parts !== undefined && timingSafeEqual(parts.mac, tokenMac(sessionId, parts.random));
    },
  };
}
