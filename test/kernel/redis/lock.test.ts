/**
 * The one lock (src/kernel/redis/lock.ts) against the real Redis: one holder at a time, a dead
 * holder's lock expires, only the owner's token releases it, and waiters give up with the
 * caller's busy error. Keys live under a prefix of their own.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LockBusyError,
  conversationLockKey,
  lockKey,
  release,
  tryAcquire,
  withLock,
} from '../../../src/kernel/redis/lock.js';
import {
  ConversationBusyError,
  createConversationLock,
} from '../../../src/kernel/redis/conversation-lock.js';

const prefix = `test-lock-${randomUUID().slice(0, 8)}`;
let redis: Redis;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('tryAcquire / release', () => {
  it('gives the lock to one of many contenders', async () => {
    const key = lockKey(prefix, 'contention');
    const owners = await Promise.all(
      Array.from({ length: 20 }, () => tryAcquire(redis, key, 5_000)),
    );
    const winners = owners.filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(await redis.get(key)).toBe(winners[0]);
    await release(redis, key, winners[0]!);
    expect(await redis.exists(key)).toBe(0);
  });

  it('lets a dead holder’s lock expire after its TTL', async () => {
    const key = lockKey(prefix, 'expiry');
    expect(await tryAcquire(redis, key, 150)).toBeDefined();
    expect(await tryAcquire(redis, key, 150)).toBeUndefined();
    await sleep(300);
    expect(await tryAcquire(redis, key, 150)).toBeDefined();
  });

  it('is released only by its owner: a stale token leaves the new holder’s lock alone', async () => {
    const key = lockKey(prefix, 'owner');
    const first = await tryAcquire(redis, key, 100);
    await sleep(200); // first's lock expired…
    const second = await tryAcquire(redis, key, 5_000); // …and someone else took it
    expect(second).toBeDefined();
    await release(redis, key, first!); // the late release of the first holder
    expect(await redis.get(key)).toBe(second);
    await release(redis, key, 'not-a-token');
    expect(await redis.get(key)).toBe(second);
    await release(redis, key, second!);
    expect(await redis.exists(key)).toBe(0);
  });

  it('keeps the key names the pipeline’s scripts use', () => {
    expect(conversationLockKey('p', 'conversation', 'c1')).toBe('p:lock:conversation:c1');
    expect(lockKey('p', 'catalogue')).toBe('p:lock:catalogue');
  });
});

describe('withLock', () => {
  const options = { ttlMs: 5_000, waitMs: 2_000, retryMs: 5 };

  it('runs holders one at a time and releases after each, even on error', async () => {
    const key = lockKey(prefix, 'serial');
    let inside = 0;
    let most = 0;
    const work = async (i: number) => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(10);
      inside -= 1;
      if (i === 3) throw new Error('boom');
      return i;
    };
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => withLock(redis, key, options, () => work(i))),
    );
    expect(most).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { message: 'boom' } });
    expect(await redis.exists(key)).toBe(0);
  });

  it('gives up after waitMs with the caller’s busy error, running nothing', async () => {
    const key = lockKey(prefix, 'busy');
    const holder = await tryAcquire(redis, key, 5_000);
    let ran = false;
    const started = Date.now();
    await expect(
      withLock(redis, key, { ...options, waitMs: 100 }, async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(LockBusyError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(ran).toBe(false);
    expect(await redis.get(key)).toBe(holder); // the holder's lock is untouched

    const lock = createConversationLock(redis, prefix);
    const convKey = conversationLockKey(prefix, 'conversation', 'c-busy');
    await redis.set(convKey, 'engine', 'PX', 5_000);
    await expect(lock('c-busy', async () => 1, { waitMs: 50 })).rejects.toBeInstanceOf(
      ConversationBusyError,
    );
    expect(await redis.get(convKey)).toBe('engine');
  });

  it('waits for a holder that finishes in time', async () => {
    const key = lockKey(prefix, 'handover');
    const holder = await tryAcquire(redis, key, 5_000);
    setTimeout(() => void release(redis, key, holder!), 50);
    await expect(withLock(redis, key, options, async () => 'ran')).resolves.toBe('ran');
  });
});
