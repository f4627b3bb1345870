/** REDIS_CLUSTER_NODES / REDIS_SENTINELS parsing and the Cluster's hash-tagged prefix. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/kernel/config/config.js';
import { clusterPrefix, parseHostPorts } from '../../../src/kernel/redis/topology.js';

describe('Redis topology configuration', () => {
  it('reads a Cluster and a Sentinel setup', () => {
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: 'redis-0.redis:6379, 10.0.0.2:7000' }).redisTopology,
    ).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'redis-0.redis', port: 6379 },
        { host: '10.0.0.2', port: 7000 },
      ],
      password: undefined,
    });
    expect(
      loadConfig({
        REDIS_SENTINELS: 's1:26379,[::1]:26380',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_PASSWORD: 'pw',
      }).redisTopology,
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      password: 'pw',
    });
    expect(loadConfig({ REDIS_URL: 'redis://x:6379' }).redisTopology).toBeUndefined();
  });

  it('refuses conflicting or incomplete settings, naming the variable', () => {
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: 'a:1' })).toContain(
      'REDIS_URL and REDIS_CLUSTER_NODES',
    );
    expect(refused({ REDIS_SENTINELS: 'a:1' })).toContain('REDIS_SENTINEL_NAME');
    expect(refused({ REDIS_SENTINEL_NAME: 'm' })).toContain('only with REDIS_SENTINELS');
    expect(refused({ REDIS_PASSWORD: 'p' })).toContain('REDIS_PASSWORD');
    expect(refused({ REDIS_CLUSTER_NODES: 'a:1,b' })).toContain('"b" is not host:port');
    expect(() => parseHostPorts('X', 'a:70000')).toThrow('"a:70000"');
  });

  it('hash-tags the prefix once', () => {
    expect(clusterPrefix('charla:abc')).toBe('{charla:abc}');
    expect(clusterPrefix('{mine}:x')).toBe('{mine}:x');
  });
});
