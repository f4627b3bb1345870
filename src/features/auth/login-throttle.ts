/**
 * Login throttle: failed sign-ins are counted per email and per client IP in Redis (shared by
 * every instance). After `maxFailures` failures of either within `windowMs` (counted from the
 * first failure), every attempt for that email or from that IP is refused until the window
 * passes. Keys hold hashes, not addresses.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../../kernel/errors.js';

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 10, windowMs: 15 * 60_000 };

/** 429 with how long to wait (the route sends it as Retry-After). */
export class LoginThrottledError extends RateLimitedError {
  constructor(retryAfterMs: number) {
    super(
      'login_throttled',
      `Too many failed sign-ins; try again in ${Math.max(1, Math.ceil(retryAfterMs / 60_000))} min.`,
      retryAfterMs,
    );
  }
}

export interface LoginThrottle {
  /** Milliseconds until attempts are allowed again, or 0 when they are allowed now. */
  blockedFor(email: string, ip: string): Promise<number>;
  recordFailure(email: string, ip: string): Promise<void>;
  /** A successful sign-in clears the email's count (not the IP's). */
  recordSuccess(email: string): Promise<void>;
}

export const hashForKey = (value: string) =>
  createHash('sha256').update(value).digest('hex').slice(0, 32);

export function createLoginThrottle(opts: {
  redis: Redis;
  prefix: string;
  options?: Partial<ThrottleOptions>;
}): LoginThrottle {
  const { redis, prefix } = opts;
  const { maxFailures, windowMs } = { ...DEFAULT_THROTTLE, ...opts.options };
  const emailKey = (email: string) => `${prefix}:login-fail:email:${hashForKey(email)}`;
  const ipKey = (ip: string) => `${prefix}:login-fail:ip:${hashForKey(ip)}`;

  const blockedKeyFor = async (key: string): Promise<number> => {
    const [[, count], [, ttl]] = (await redis.multi().get(key).pttl(key).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    if (Number(count ?? 0) < maxFailures) return 0;
    return ttl > 0 ? ttl : windowMs;
  };

  return {
    async blockedFor(email, ip) {
      const waits = await Promise.all([blockedKeyFor(emailKey(email)), blockedKeyFor(ipKey(ip))]);
      return Math.max(...waits);
    },
    async recordFailure(email, ip) {
      const tx = redis.multi();
      for (const key of [emailKey(email), ipKey(ip)]) {
        // NX: the window starts at the first failure and is not extended by later ones.
        tx.incr(key).pexpire(key, windowMs, 'NX');
      }
      await tx.exec();
    },
    async recordSuccess(email) {
      await redis.del(emailKey(email));
    },
  };
}
