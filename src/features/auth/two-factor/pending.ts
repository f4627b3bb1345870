/**
 * The short-lived state between a right password and a session when two-factor applies: a random
 * token (Redis keeps only its SHA-256) naming the user and what is still owed — a code (`verify`)
 * or an enrolment (`enrol`, when an admin requires two-factor and the user has none). It lasts
 * five minutes and dies after five wrong codes; using it for a session spends it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export type PendingStep = 'verify' | 'enrol';
export interface PendingSignIn {
  userId: string;
  step: PendingStep;
  /** Email and client IP of the password step: failures count against the login throttle. */
  email: string;
  ip: string;
}

export const PENDING_TTL_MS = 5 * 60_000;
export const PENDING_MAX_FAILURES = 5;

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

export interface PendingSignIns {
  open(pending: PendingSignIn): Promise<string>;
  read(token: string): Promise<PendingSignIn | undefined>;
  /** Counts a wrong code; the state is dropped at PENDING_MAX_FAILURES. */
  fail(token: string): Promise<void>;
  /** Atomically takes the state (undefined if another request took it first). */
  spend(token: string): Promise<PendingSignIn | undefined>;
}

export function createPendingSignIns(deps: { redis: Redis; prefix: string }): PendingSignIns {
  const { redis, prefix } = deps;
  const key = (token: string) => `${prefix}:2fa-pending:${sha256(token)}`;
  const parse = (raw: string | null): PendingSignIn | undefined => {
    if (!raw) return undefined;
    const value = JSON.parse(raw) as PendingSignIn & { failures?: number };
    return { userId: value.userId, step: value.step, email: value.email, ip: value.ip };
  };
  return {
    async open(pending) {
      const token = randomBytes(32).toString('base64url');
      await redis.set(key(token), JSON.stringify(pending), 'PX', PENDING_TTL_MS);
      return token;
    },
    async read(token) {
      return parse(await redis.get(key(token)));
    },
    async fail(token) {
      const failures = await redis.incr(`${key(token)}:failures`);
      await redis.pexpire(`${key(token)}:failures`, PENDING_TTL_MS);
      if (failures >= PENDING_MAX_FAILURES) await redis.del(key(token), `${key(token)}:failures`);
    },
    async spend(token) {
      const raw = await redis.getdel(key(token));
      await redis.del(`${key(token)}:failures`);
      return parse(raw);
    },
  };
}
