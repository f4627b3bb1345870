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
import { LockBusyError, conversationLockKey, withLock } from './lock.js';

const TTL_MS = 60_000;
const RETRY_MS = 20;
const WAIT_MS = 10_000;

export class ConversationBusyError extends LockBusyError {
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
  return (conversationId, fn, opts = {}) =>
    withLock(
      redis,
      conversationLockKey(prefix, 'conversation', conversationId),
      {
        ttlMs: TTL_MS,
        waitMs: opts.waitMs ?? WAIT_MS,
        retryMs: RETRY_MS,
        busy: () => new ConversationBusyError(),
      },
      fn,
    );
}
