import { Cluster, Redis } from 'ioredis';
import type { RedisTopology } from './topology.js';

/**
 * A Redis connection as BullMQ wants it: commands wait for reconnection instead of failing.
 * `topology` (a Cluster or Sentinel, src/kernel/redis/topology.ts) wins over `url`. A Cluster
 * client is returned typed as `Redis`: it answers the same commands, and every multi-key command,
 * transaction and script of an install stays in the install's one hash slot (topology.ts).
 */
export function createRedis(url: string, topology?: RedisTopology): Redis {
  const client = clientFor(url, topology);
  // Connection errors surface through readiness checks and job failures; an unhandled 'error'
  // event would crash the process instead.
  client.on('error', () => undefined);
  return client;
}

function clientFor(url: string, topology: RedisTopology | undefined): Redis {
  const common = { maxRetriesPerRequest: null, enableReadyCheck: true } as const;
  if (topology?.kind === 'cluster') {
    const cluster = new Cluster(topology.nodes, {
      redisOptions: { ...common, password: topology.password },
      // A failover moves slots: ask again shortly rather than failing the command.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 200,
      slotsRefreshTimeout: 2000,
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
