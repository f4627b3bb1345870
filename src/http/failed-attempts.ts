/**
 * Failed-credential limits per client IP, shared by every instance through Redis: a fixed window
 * that opens at an IP's first failure in a bucket (`admin-token`, `webchat-token`, …). While an IP
 * has used up its failures it is refused (429) before its credentials are even looked at, so
 * guessing stops being free, and a target (a session, an account) is never what gets locked.
 * Keys hold a hash of the IP, not the address.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { HttpError } from './errors.js';

export const FAILURE_WINDOW_MS = 60_000;
/** Wrong admin bearer tokens an IP may send per window; the next request is a 429. */
export const ADMIN_TOKEN_FAILURES_PER_MINUTE = 20;

const ipKey = (prefix: string, bucket: string, ip: string) =>
  `${prefix}:failed:${bucket}:${createHash('sha256').update(ip).digest('hex').slice(0, 32)}`;

/** Counts one failure of `ip` in `bucket`; returns the count in the current window. */
export async function chargeFailure(
  redis: Redis,
  prefix: string,
  bucket: string,
  ip: string,
  windowMs = FAILURE_WINDOW_MS,
): Promise<number> {
  const key = ipKey(prefix, bucket, ip);
  // NX: the window starts at the first failure; later ones do not extend it.
  const result = await redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec();
  return Number(result?.[0]?.[1] ?? 0);
}

/** Milliseconds until `ip` may try again in `bucket`, or 0 when it has failures left. */
export async function blockedFor(
  redis: Redis,
  prefix: string,
  bucket: string,
  ip: string,
  maxFailures: number,
): Promise<number> {
  const key = ipKey(prefix, bucket, ip);
  const [[, count], [, ttl]] = (await redis.multi().get(key).pttl(key).exec()) as [
    [unknown, string | null],
    [unknown, number],
  ];
  if (Number(count ?? 0) < maxFailures) return 0;
  return ttl > 0 ? ttl : FAILURE_WINDOW_MS;
}

export async function isBlocked(
  redis: Redis,
  prefix: string,
  bucket: string,
  ip: string,
  maxFailures: number,
): Promise<boolean> {
  return (await blockedFor(redis, prefix, bucket, ip, maxFailures)) > 0;
}

export const tooManyFailures = (waitMs: number) =>
  new HttpError(
    429,
    'rate_limited',
    `Too many failed attempts; try again in ${Math.max(1, Math.ceil(waitMs / 1000))} s.`,
  );

/** One bucket's limit, bound to a Redis and a key prefix. */
export interface FailureLimiter {
  /** Milliseconds until the request's IP may try again, 0 when it has failures left. */
  blockedFor(req: FastifyRequest): Promise<number>;
  /** Throws 429 when the request's IP has no failures left in this bucket. */
  assertAllowed(req: FastifyRequest): Promise<void>;
  /** Counts a failure of the request's IP (req.ip: what TRUST_PROXY says the client is). */
  charge(req: FastifyRequest): Promise<void>;
}

export function createFailureLimiter(opts: {
  redis: Redis;
  prefix: string;
  bucket: string;
  maxFailures: number;
}): FailureLimiter {
  const { redis, prefix, bucket, maxFailures } = opts;
  return {
    blockedFor: (req) => blockedFor(redis, prefix, bucket, req.ip, maxFailures),
    async assertAllowed(req) {
      const wait = await blockedFor(redis, prefix, bucket, req.ip, maxFailures);
      if (wait > 0) throw tooManyFailures(wait);
    },
    async charge(req) {
      await chargeFailure(redis, prefix, bucket, req.ip);
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Where failed credentials are counted (src/app/charla.ts decorates the root server); guards that
     * check a credential take their limiter from here, so their call sites need no Redis.
     */
    failureLimits?: { redis: Redis; prefix: string };
  }
}
