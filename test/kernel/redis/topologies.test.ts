/**
 * Charla on a Redis Cluster (3 primaries + 3 replicas) and on Sentinel (1 primary + 1 replica + 3
 * sentinels), each started here on 127.0.0.1 (test/support/redis-topologies.ts): web chat
 * visitors go through the lead flow, every acknowledged message is answered once at the right
 * step and every lead holds what its visitor typed. On the Cluster, every key of the install sits
 * in the install's one hash slot. The failover under traffic is `npm run chaos:redis`.
 */
import mongoose from 'mongoose';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { account, learnExpectedSteps, planVisitor, runVisitor } from '../../../chaos/visitors.js';
import { withDatabase } from '../../support/child-charla.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import {
  startRedisCluster,
  startRedisSentinel,
  type RedisTopologyHandle,
} from '../../support/redis-topologies.js';

const VISITORS = 3;
const LINES = planVisitor('', 0).lines.length;
const RUN = Date.now().toString(36);

let topology: RedisTopologyHandle | undefined;
let app: TestApp | undefined;
afterAll(() => stopAll());

/** Boots Charla on `handle`, runs a warm-up visitor and VISITORS at once, and accounts them. */
async function visitorsOn(start: () => Promise<RedisTopologyHandle>, firstIndex: number) {
  await stopAll(); // a failed test before left its own
  topology = await start();
  const handle = topology;
  app = await startTestApp({
    REDIS_URL: undefined,
    ...handle.env,
    WEBCHAT_SESSIONS_PER_MINUTE: '1000',
    WEBCHAT_MESSAGES_PER_MINUTE: '1000',
  });
  const url = app.url;
  const mongoUri = withDatabase(inject('mongoUri'), mongoose.connection.name);
  const warm = await runVisitor(planVisitor(RUN, firstIndex), { baseUrl: () => url });
  expect(warm.stalled).toBe(false);
  const expected = await learnExpectedSteps(mongoUri, warm);
  const outcomes = await Promise.all(
    Array.from({ length: VISITORS }, (_, i) =>
      runVisitor(planVisitor(RUN, firstIndex + 1 + i), { baseUrl: () => url }),
    ),
  );
  return account(mongoUri, [warm, ...outcomes], expected);
}

async function stopAll() {
  await app?.stop();
  app = undefined;
  await topology?.stop();
  topology = undefined;
}

describe('Redis topologies', () => {
  it('runs lead flows on a Redis Cluster, every install key in one slot', async () => {
    const tally = await visitorsOn(startRedisCluster, 100);
    expect(tally.gaveUp).toBe(0);
    expect(tally.acknowledged).toBe((VISITORS + 1) * LINES);
    expect(tally.answeredOnce).toBe(tally.acknowledged);
    expect(tally.wrongStep).toBe(0);
    expect(tally.leadsRight).toBe(VISITORS + 1);

    const prefix = app!.charla.services.config.queuePrefix;
    expect(prefix).toMatch(/^\{charla-test-[0-9a-f]+\}$/);
    const cluster = app!.charla.services.redis as unknown as Cluster;
    const keys = (
      await Promise.all(cluster.nodes('master').map((node) => node.keys(`${prefix}*`)))
    ).flat();
    // Queue jobs, pending indexes, route cache, rate limits, locks: all present, all one slot.
    for (const part of [':inbound:', ':route:', ':ratelimit:', ':inflight:finished']) {
      expect(keys.some((k) => k.includes(part))).toBe(true);
    }
    const slots = new Set(
      await Promise.all(keys.map((k) => cluster.call('cluster', 'keyslot', k) as Promise<number>)),
    );
    expect(slots.size).toBe(1);
    await stopAll();
  }, 240_000);

  it('runs lead flows on Redis with Sentinel', async () => {
    const tally = await visitorsOn(startRedisSentinel, 200);
    expect(tally.gaveUp).toBe(0);
    expect(tally.acknowledged).toBe((VISITORS + 1) * LINES);
    expect(tally.answeredOnce).toBe(tally.acknowledged);
    expect(tally.wrongStep).toBe(0);
    expect(tally.leadsRight).toBe(VISITORS + 1);
    await stopAll();
  }, 240_000);
});
