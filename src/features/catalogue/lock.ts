/**
 * One studio change at a time, across instances: draft edits, publishes and rollbacks take this
 * Redis lock, because FerretDB loses concurrent updates of one document (the draft) and a publish
 * must not drop an edit saved while it ran.
 */
import type { Redis } from 'ioredis';
import { LockBusyError, lockKey, withLock } from '../../kernel/redis/lock.js';

const TTL_MS = 60_000;
const RETRY_MS = 25;
const WAIT_MS = 30_000;

export class StudioBusyError extends LockBusyError {
  constructor() {
    super('another catalogue change is in progress; try again');
    this.name = 'StudioBusyError';
  }
}

export type StudioLock = <T>(fn: () => Promise<T>) => Promise<T>;

export function createStudioLock(redis: Redis, prefix: string): StudioLock {
  const key = lockKey(prefix, 'catalogue');
  const options = {
    ttlMs: TTL_MS,
    waitMs: WAIT_MS,
    retryMs: RETRY_MS,
    busy: () => new StudioBusyError(),
  };
  return (fn) => withLock(redis, key, options, fn);
}
