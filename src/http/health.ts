/**
 * GET /healthz (the process and its database are alive), GET /readyz (it can take traffic), and
 * the outage guard: while the database is down, inbound webhooks and channel POSTs answer 503
 * with Retry-After instead of failing half-way, so platforms redeliver once it is back. Both read
 * the cached flag of src/kernel/db/health.ts; no request pings the database. Likewise while the
 * shared Redis connection is not ready, every route that needs it (the APIs, webhooks, metrics:
 * sessions, rate limits, queues and locks live there) answers 503 `redis_unavailable` at once
 * instead of waiting for the reconnection (its client queues commands for BullMQ's sake).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { DbHealth } from '../kernel/db/health.js';

export const RETRY_AFTER_SECONDS = 5;

/** Routes that store what they receive: every platform webhook and the channel POST APIs. */
const INBOUND_PREFIXES = ['/webhooks/', '/api/messages', '/api/webchat/'];

export function isInboundWrite(method: string, url: string): boolean {
  return method === 'POST' && INBOUND_PREFIXES.some((p) => url.startsWith(p));
}

/** Static console and widget files and the health probes work without Redis; nothing else does. */
export function needsRedis(method: string, url: string): boolean {
  const path = url.split('?')[0] ?? url;
  if (path === '/healthz' || path === '/readyz') return false;
  if ((method === 'GET' || method === 'HEAD') && !path.startsWith('/api/')) {
    return path === '/metrics';
  }
  return true;
}

const checksSchema = z.object({ mongodb: z.boolean(), redis: z.boolean().optional() });
const statusSchema = z.object({
  status: z.enum(['ok', 'ready', 'unavailable']),
  checks: checksSchema,
});

async function redisAnswers(redis: Redis): Promise<boolean> {
  return Promise.race([
    redis.ping().then((p) => p === 'PONG'),
    new Promise<boolean>((r) => setTimeout(() => r(false), 1000)),
  ]).catch(() => false);
}

/** 503 with Retry-After: the database is down or electing a primary; the caller should retry. */
export function replyDatabaseUnavailable(reply: FastifyReply): FastifyReply {
  return reply
    .status(503)
    .header('retry-after', String(RETRY_AFTER_SECONDS))
    .send({
      error: {
        code: 'database_unavailable',
        message: `The database is unavailable; retry in ${RETRY_AFTER_SECONDS} s.`,
      },
    });
}

/** 503 with Retry-After: Redis is unreachable (the process keeps reconnecting). */
export function replyRedisUnavailable(reply: FastifyReply): FastifyReply {
  return reply
    .status(503)
    .header('retry-after', String(RETRY_AFTER_SECONDS))
    .send({
      error: {
        code: 'redis_unavailable',
        message: `A service Charla needs (Redis) is unavailable; retry in ${RETRY_AFTER_SECONDS} s.`,
      },
    });
}

export function mountHealthRoutes(
  server: FastifyInstance,
  deps: { dbHealth: DbHealth; redis: Redis },
): void {
  const { dbHealth, redis } = deps;
  server.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (redis.status !== 'ready' && needsRedis(req.method, req.url)) {
      return replyRedisUnavailable(reply);
    }
    if (dbHealth.isUp() || !isInboundWrite(req.method, req.url)) return;
    return replyDatabaseUnavailable(reply);
  });
  server.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: this process answers and its database is reachable',
        response: { 200: statusSchema, 503: statusSchema },
      },
    },
    async (_req, reply) => {
      const mongodb = dbHealth.isUp();
      return reply
        .status(mongodb ? 200 : 503)
        .send({ status: mongodb ? 'ok' : 'unavailable', checks: { mongodb } });
    },
  );
  server.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: the database and Redis both answer',
        response: { 200: statusSchema, 503: statusSchema },
      },
    },
    async (_req, reply) => {
      const checks = { mongodb: dbHealth.isUp(), redis: await redisAnswers(redis) };
      const ok = checks.mongodb && checks.redis;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks });
    },
  );
}
