import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from './errors.js';
import {
  ADMIN_TOKEN_FAILURES_PER_MINUTE,
  createFailureLimiter,
  type FailureLimiter,
} from './auth/failed-attempts.js';

/**
 * Constant-time bearer check against ADMIN_TOKEN; without ADMIN_TOKEN the admin API is closed.
 * Wrong tokens are counted per client IP (src/http/auth/failed-attempts.ts): past
 * ADMIN_TOKEN_FAILURES_PER_MINUTE in a minute the IP gets 429 whatever it sends.
 */
export function requireAdmin(adminToken: string | undefined) {
  const expected = adminToken ? Buffer.from(adminToken) : undefined;
  let limiter: FailureLimiter | undefined;
  const limiterOf = (req: FastifyRequest) => {
    const limits = req.server.failureLimits;
    if (!limiter && limits) {
      limiter = createFailureLimiter({
        ...limits,
        bucket: 'admin-token',
        maxFailures: ADMIN_TOKEN_FAILURES_PER_MINUTE,
      });
    }
    return limiter;
  };
  return async (req: FastifyRequest): Promise<void> => {
    const failures = limiterOf(req);
    await failures?.assertAllowed(req);
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match) throw unauthorized();
    const given = Buffer.from(match[1]!);
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await failures?.charge(req);
      throw unauthorized();
    }
  };
}
