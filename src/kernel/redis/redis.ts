import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { RedisTopology } from './topology.js';

/**
 * Every ioredis client needs an 'error' listener: without one ioredis prints "[ioredis] Unhandled
 * error event" with a stack on every reconnection attempt while Redis is down. This one logs the
 * outage once per client (the error code only: no URL, no password) and its end once.
 */
export function watchRedisErrors<T extends Redis>(client: T, logger: Logger, name: string): T {
  let down = false;
  client.on('error', (err: Error & { code?: string }) => {
    if (down) return;
    down = true;
    logger.warn(
      { redisClient: name, code: err.code ?? err.name },
      'redis connection lost; retrying (logged once until it is back)',
    );
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ redisClient: name }, 'redis connection back');
  });
  return client;
}

/**
 * A Redis connection as BullMQ wants it: commands wait for reconnection instead of failing. The
 * request path does not wait on it: while it is not ready, routes that need Redis answer 503 at
 * once (src/http/health.ts). `topology` (a Cluster or Sentinel, src/kernel/redis/topology.ts)
 * wins over `url`. A Cluster client is returned typed as `Redis`: it answers the same commands,
 * and every multi-key command, transaction and script of an install stays in the install's one
 * hash slot (topology.ts).
 */
export function createRedis(
  url: string,
  logger: Logger,
  name = 'main',
  topology?: RedisTopology,
): Redis {
  return watchRedisErrors(clientFor(url, topology), logger, name);
}

/** A copy of `client` (subscriber mode, blocking commands) with its own error listener. */
export function duplicateRedis(client: Redis, logger: Logger, name: string): Redis {
  return watchRedisErrors(client.duplicate(), logger, name);
}

function clientFor(url: string, topology: RedisTopology | undefined): Redis {
  const common = { maxRetriesPerRequest: null, enableReadyCheck: true } as const;
  if (topology?.kind === 'cluster') {
    const cluster = new Cluster(topology.nodes, {
      redisOptions: { ...common, password: topology.password },
      // A failover (node timeout + election, a few seconds) moves slots: keep asking, with the
      // slots refreshed, for ~20 s rather than failing the command after ioredis's default 16
      // quick redirections (which a failover outlasts).
      maxRedirections: 64,
      retryDelayOnFailover: 300,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 300,
      retryDelayOnMoved: 100,
      slotsRefreshTimeout: 2000,
      slotsRefreshInterval: 5000,
      enableOfflineQueue: true,
    });
    return cluster as unknown as Redis;
  }
  if (topology?.kind === 'sentinel') {
    return new Redis({
      ...common,
      sentinels: topology.sentinels,
      name: topology.name,
      password: topology.password,
      // After a failover the old primary may answer as a replica for a moment: reconnect to the
      // new one on READONLY and send the write again instead of failing it.
      reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
    });
  }
  return new Redis(url, common);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * A lost Redis connection (already logged once by the client's watcher above), as opposed to an
 * error worth its own log line; BullMQ workers report every reconnection attempt as an 'error'.
 */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as Error & { code?: string }).code;
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  return /Connection is closed|Stream isn't writeable/i.test(err.message);
}

/** A BullMQ worker's 'error' listener: logs its own errors, not each reconnection attempt. */
export function logWorkerErrors(logger: Logger, message: string): (err: Error) => void {
  return (err) => {
    if (!isRedisConnectionError(err)) logger.error({ err }, message);
  };
}
