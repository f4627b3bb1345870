/**
 * Serialises writes to one conversation across staff actions, Slack jobs and the engine.
 *
 * Conditional updates alone are not enough: FerretDB (the embedded database) applies an update
 * as read-modify-write of the whole document, so two concurrent `findOneAndUpdate({status:
 * 'queued'})` can both succeed and the later one silently overwrites the earlier. We therefore
 * take the same Redis lock the inbound worker holds while the engine handles a message
 * (`${prefix}:lock:conversation:${id}`, see src/queues/inbound.ts), so a claim, a close, or a
 * job saving the Slack item never interleaves with the engine or with each other.
 *
 * Never call this from code the engine runs (escalate, relayCustomerMessage): the engine
 * already holds the lock there and would wait on itself.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const TTL_MS = 60_000;
const RETRY_MS = 20;
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

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
    const key = `${prefix}:lock:conversation:${conversationId}`;
    const owner = randomUUID();
    const deadline = Date.now() + (opts.waitMs ?? 10_000);
    while ((await redis.set(key, owner, 'PX', TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw new ConversationBusyError();
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
    try {
      return await fn();
    } finally {
      await redis.eval(RELEASE, 1, key, owner);
    }
  };
}
