/**
 * A Redis mutex (SET NX PX + compare-and-delete), the primitive behind "one conversation at a
 * time" in the inbound and outbound workers and for staff actions.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export const conversationLockKey = (prefix: string, scope: string, conversationId: string) =>
  `${prefix}:lock:${scope}:${conversationId}`;

/** Returns the owner token when acquired, undefined when someone else holds the lock. */
export async function tryAcquire(
  redis: Redis,
  key: string,
  ttlMs: number,
): Promise<string | undefined> {
  const owner = randomUUID();
  return (await redis.set(key, owner, 'PX', ttlMs, 'NX')) === 'OK' ? owner : undefined;
}

/** Releases only our own lock: an expired one may already belong to someone else. */
export async function release(redis: Redis, key: string, owner: string): Promise<void> {
  await redis.eval(RELEASE, 1, key, owner);
}

/**
 * The workers' "one conversation at a time" job body: under the lock, `drain` handles everything
 * pending; if the lock is taken, the job is put back shortly (the holder may well handle our item
 * meanwhile). After releasing, `hasMore` is checked once more, because an item stored while we
 * held the lock may have had its own job delayed by us.
 */
export async function drainExclusively(opts: {
  redis: Redis;
  key: string;
  ttlMs: number;
  job: Job;
  token: string | undefined;
  retryInMs: number;
  drain: () => Promise<void>;
  hasMore: () => Promise<boolean>;
}): Promise<void> {
  let owner = await tryAcquire(opts.redis, opts.key, opts.ttlMs);
  if (!owner) {
    await opts.job.moveToDelayed(Date.now() + opts.retryInMs, opts.token);
    throw new DelayedError();
  }
  while (owner) {
    try {
      await opts.drain();
    } finally {
      await release(opts.redis, opts.key, owner);
    }
    owner = (await opts.hasMore()) ? await tryAcquire(opts.redis, opts.key, opts.ttlMs) : undefined;
  }
}
