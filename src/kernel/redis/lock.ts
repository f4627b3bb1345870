/**
 * The one Redis lock: SET NX PX with a random owner token, released by a compare-and-delete
 * script so only the owner can release it (an expired lock may already belong to someone else).
 * Every lock in Charla is built from it:
 *   - `withLock`: wait (poll) up to `waitMs` for the lock, run, release — the conversation lock
 *     (conversation-lock.ts), the studio lock, the staff-users lock;
 *   - `drainExclusively`: a BullMQ job that finds the lock taken is put back shortly instead of
 *     waiting — the outbound worker and the Slack relay;
 *   - `tryAcquire`/`release`: one attempt, for a singleton (the reconciler, first-run setup);
 *   - the inbound worker takes and releases the same keys inside its Lua scripts
 *     (src/pipeline/queues/turn-scripts.ts), so its hot path stays one round trip.
 * Keys are `${prefix}:lock:${name}` (lockKey). There is no renewal: every holder's work is
 * bounded well under its TTL, and renewing would hide a stuck holder instead of letting it expire.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

/** Lua: delete KEYS[1] only while it still holds ARGV[1] (our token). */
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export const lockKey = (prefix: string, name: string) => `${prefix}:lock:${name}`;

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

/** The lock stayed taken for the whole wait: the caller may try again later. */
export class LockBusyError extends Error {
  constructor(message = 'the lock is busy; try again') {
    super(message);
    this.name = 'LockBusyError';
  }
}

export interface WaitOptions {
  /** How long the lock lives if its holder dies without releasing it. */
  ttlMs: number;
  /** How long to wait for a taken lock before giving up with `busy()`. */
  waitMs: number;
  /** Poll interval while waiting. */
  retryMs: number;
  /** The error to throw when the wait runs out (default LockBusyError). */
  busy?: () => Error;
}

/** Runs `fn` holding the lock at `key`, waiting for it up to `waitMs`; always releases it. */
export async function withLock<T>(
  redis: Redis,
  key: string,
  opts: WaitOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + opts.waitMs;
  let owner = await tryAcquire(redis, key, opts.ttlMs);
  while (!owner) {
    if (Date.now() >= deadline) throw opts.busy ? opts.busy() : new LockBusyError();
    await new Promise((r) => setTimeout(r, opts.retryMs));
    owner = await tryAcquire(redis, key, opts.ttlMs);
  }
  try {
    return await fn();
  } finally {
    await release(redis, key, owner);
  }
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
