/**
 * One studio change at a time, across instances: draft edits, publishes and rollbacks take this
 * Redis lock, because FerretDB loses concurrent updates of one document (the draft) and a publish
 * must not drop an edit saved while it ran.
 */
import type { Redis } from 'ioredis';
import { release, tryAcquire } from '../../kernel/redis/lock.js';

const TTL_MS = 60_000;
const RETRY_MS = 25;
const WAIT_MS = 30_000;

export class StudioBusyError extends Error {
  constructor() {
    super('another catalogue change is in progress; try again');
    this.name = 'StudioBusyError';
  }
}

export type StudioLock = <T>(fn: () => Promise<T>) => Promise<T>;

export function createStudioLock(redis: Redis, prefix: string): StudioLock {
  const key = `${prefix}:lock:catalogue`;
  return async (fn) => {
    const deadline = Date.now() + WAIT_MS;
    let owner = await tryAcquire(redis, key, TTL_MS);
    while (!owner) {
      if (Date.now() >= deadline) throw new StudioBusyError();
      await new Promise((r) => setTimeout(r, RETRY_MS));
      owner = await tryAcquire(redis, key, TTL_MS);
    }
    try {
      return await fn();
    } finally {
      await release(redis, key, owner);
    }
  };
}
