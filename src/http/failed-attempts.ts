/**
 * Failed-credential limits per client IP, shared by every instance through Redis: a fixed window
 * that opens at an IP's first failure in a bucket (`admin-token`, `webchat-auth`, …). Only
 * failures are throttled: a request is looked at first, and a valid credential is always served,
 * whoever else failed from the same IP; a wrong one from an IP that has used up its failures is a
 * 429 instead of a 401, so guessing stops being free, and neither a target (a session, an account)
 * nor the right credential is ever what gets locked. The failure that uses up an IP's budget is
 * audited (`throttle.blocked`, once per window). Keys and audit entries hold a hash of the IP,
 * not the address.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { recordAudit } from '../kernel/audit.js';
import { HttpError } from './errors.js';

export const FAILURE_WINDOW_MS = 60_000;
/** Wrong admin bearer tokens an IP may send per window; the next request is a 429. */
export const ADMIN_TOKEN_FAILURES_PER_MINUTE = 20;

const ipHash = (ip: string) => createHash('sha256').update(ip).digest('hex');
const ipKey = (prefix: string, bucket: string, ip: string) =>
  `${prefix}:failed:${bucket}:${ipHash(ip).slice(0, 32)}`;
/** How an IP appears in the audit log: a short hash, never the address. */
export const ipActor = (ip: string) => `ip:${ipHash(ip).slice(0, 16)}`;

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
  /** Milliseconds until the request's IP may fail again, 0 when it has failures left. */
  blockedFor(req: FastifyRequest): Promise<number>;
  /**
   * A failed credential: 0 when it was counted (answer with the usual 401/404), else the
   * milliseconds the IP must wait (answer 429; not counted again). req.ip is what TRUST_PROXY says
   * the client is.
   */
  fail(req: FastifyRequest): Promise<number>;
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
    async fail(req) {
      const wait = await blockedFor(redis, prefix, bucket, req.ip, maxFailures);
      if (wait > 0) return wait;
      const count = await chargeFailure(redis, prefix, bucket, req.ip);
      if (count === maxFailures) {
        // The failure that uses up the budget: audited once per window.
        await recordAudit({
          actor: ipActor(req.ip),
          action: 'throttle.blocked',
          targetType: 'client',
          targetId: bucket,
          details: { bucket, failures: count, windowSeconds: FAILURE_WINDOW_MS / 1000 },
        });
      }
      return 0;
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
