/**
 * Serialises writes to one conversation across staff actions, Slack jobs and the engine.
 *
 * Conditional updates alone are not enough: FerretDB (the embedded database) applies an update
 * as read-modify-write of the whole document, so two concurrent `findOneAndUpdate({status:
 * 'queued'})` can both succeed and the later one silently overwrites the earlier. We therefore
 * take the same Redis lock the inbound worker holds while the engine handles a message
 * (`${prefix}:lock:conversation:${id}`, see src/pipeline/queues/inbound.ts), so a claim, a close, or a
 * job saving the Slack item never interleaves with the engine or with each other.
 *
 * Never call this from code the engine runs (escalate, relayCustomerMessage): the engine
 * already holds the lock there and would wait on itself.
 */
import type { Redis } from 'ioredis';
import { conversationLockKey, release, tryAcquire } from './lock.js';

const TTL_MS = 60_000;
const RETRY_MS = 20;

export class ConversationBusyError extends Error {
  constructor() {
    super('the conversation is busy; try again');
    this.name = 'ConversationBusyError';
  }
}

export type ConversationLock = <T>(
  conversationId: string,
  fn: () => Promise<T>,
  opts?: { waitMs?: number },
) => Promise<T>;

export function createConversationLock(redis: Redis, prefix: string): ConversationLock {
  return async (conversationId, fn, opts = {}) => {
    const key = conversationLockKey(prefix, 'conversation', conversationId);
    const deadline = Date.now() + (opts.waitMs ?? 10_000);
    let owner = await tryAcquire(redis, key, TTL_MS);
    while (!owner) {
      if (Date.now() >= deadline) throw new ConversationBusyError();
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
