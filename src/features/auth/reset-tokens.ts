/**
 * Single-use links that let a staff member choose a password: "forgot password" resets
 * (password-reset-routes.ts, 1 hour) and invitations of new staff (invitations.ts, 72 hours).
 * Kept in Redis by the token's SHA-256 only, with the link's lifetime as the key's TTL; spent
 * (GETDEL) on first use, whatever follows.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export type LinkPurpose = 'reset' | 'invitation';

export interface ResetTokens {
  /** A new token for the user; valid `ttlSeconds`. */
  issue(userId: string, purpose: LinkPurpose, ttlSeconds: number): Promise<string>;
  /** The user and purpose of a valid token, which is spent; null for an unknown, used or expired one. */
  spend(token: string): Promise<{ userId: string; purpose: LinkPurpose } | null>;
  /** The Redis key of a token (tests read its TTL). */
  keyOf(token: string): string;
}

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

export function createResetTokens(redis: Redis, prefix: string): ResetTokens {
  const keyOf = (token: string) => `${prefix}:auth:pwreset:${sha256(token)}`;
  return {
    keyOf,
    async issue(userId, purpose, ttlSeconds) {
      const token = randomBytes(32).toString('base64url');
      const value = purpose === 'reset' ? userId : `${purpose}:${userId}`;
      await redis.set(keyOf(token), value, 'EX', ttlSeconds);
      return token;
    },
    async spend(token) {
      const value = await redis.getdel(keyOf(token));
      if (!value) return null;
      const [purpose, userId] = value.startsWith('invitation:')
        ? (['invitation', value.slice('invitation:'.length)] as const)
        : (['reset', value] as const);
      return { userId, purpose };
    },
  };
}
