import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from './errors.js';

/** Constant-time bearer check against ADMIN_TOKEN; without ADMIN_TOKEN the admin API is closed. */
export function requireAdmin(adminToken: string | undefined) {
  const expected = adminToken ? Buffer.from(adminToken) : undefined;
  return async (req: FastifyRequest): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!expected || !match) throw unauthorized();
    const given = Buffer.from(match[1]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthorized();
  };
}
