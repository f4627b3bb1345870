/**
 * Which Redis Charla talks to (docs/ARCHITECTURE.md, "Redis in production"):
 *   - one server: REDIS_URL (or the local/embedded one, src/app/infra/embedded-redis.ts);
 *   - a Redis Cluster: REDIS_CLUSTER_NODES=host:port,… (any reachable nodes; the rest is
 *     discovered). Every key of an install carries one hash tag — the queue prefix in braces,
 *     `{charla:<installId>}` — so every script, transaction and BullMQ job of the install lives
 *     in one slot (`clusterPrefix`);
 *   - Sentinel: REDIS_SENTINELS=host:port,… and REDIS_SENTINEL_NAME (the monitored primary's
 *     name); the client asks the sentinels for the primary and follows a failover.
 * REDIS_PASSWORD (optional) authenticates to the data nodes of a Cluster or Sentinel setup.
 */

export interface HostPort {
  host: string;
  port: number;
}

export type RedisTopology =
  | { kind: 'cluster'; nodes: HostPort[]; password?: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; password?: string };

/** `host:port,host:port` → a list; throws with the offending entry. */
export function parseHostPorts(variable: string, value: string): HostPort[] {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) throw new Error(`${variable}: list at least one host:port`);
  return entries.map((entry) => {
    const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new Error(`${variable}: "${entry}" is not host:port (e.g. redis-0.redis:6379)`);
    }
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

/** The topology the environment names, or undefined for a single server. Throws on conflicts. */
export function topologyOf(env: {
  REDIS_URL?: string;
  REDIS_CLUSTER_NODES?: string;
  REDIS_SENTINELS?: string;
  REDIS_SENTINEL_NAME?: string;
  REDIS_PASSWORD?: string;
}): RedisTopology | undefined {
  const set = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter(
    (k) => env[k] !== undefined,
  );
  if (set.length > 1) throw new Error(`${set.join(' and ')}: set only one way to reach Redis`);
  const password = env.REDIS_PASSWORD;
  if (env.REDIS_CLUSTER_NODES !== undefined) {
    return {
      kind: 'cluster',
      nodes: parseHostPorts('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES),
      password,
    };
  }
  if (env.REDIS_SENTINELS !== undefined) {
    if (!env.REDIS_SENTINEL_NAME) {
      throw new Error('REDIS_SENTINELS: set REDIS_SENTINEL_NAME too (the monitored primary)');
    }
    return {
      kind: 'sentinel',
      sentinels: parseHostPorts('REDIS_SENTINELS', env.REDIS_SENTINELS),
      name: env.REDIS_SENTINEL_NAME,
      password,
    };
  }
  if (env.REDIS_SENTINEL_NAME !== undefined) {
    throw new Error('REDIS_SENTINEL_NAME: only with REDIS_SENTINELS');
  }
  if (password !== undefined) {
    throw new Error('REDIS_PASSWORD: only with REDIS_CLUSTER_NODES or REDIS_SENTINELS');
  }
  return undefined;
}

/**
 * The install's key prefix on a Cluster: the prefix as one hash tag, so all of the install's keys
 * (BullMQ's included) hash to one slot. A prefix that already holds a tag is kept as it is.
 */
export function clusterPrefix(prefix: string): string {
  return /\{[^}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

/** True for an ioredis Cluster client (`Cluster#isCluster`). */
export function isCluster(client: object): boolean {
  return (client as { isCluster?: boolean }).isCluster === true;
}
