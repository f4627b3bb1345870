/**
 * A Redis mutex (SET NX PX + compare-and-delete), the primitive behind "one conversation at a
 * time" in the inbound and outbound workers and for staff actions.
 */
import { randomUUID } from 'node:crypto';
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
