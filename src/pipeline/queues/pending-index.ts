/**
 * Per-conversation index of messages waiting for a worker, in Redis sorted sets (score: time
 * queued). The workers read it instead of querying MongoDB for "unprocessed messages of this
 * conversation": on the embedded FerretDB such a query scans the whole messages collection
 * (only `{_id}` filters are pushed down), while the messages themselves are then fetched by `_id`.
 * MongoDB stays the truth: an entry whose message is already handled is dropped, and every job
 * also carries its own message ids, so a lost index delays nothing.
 */
import type { Redis } from 'ioredis';
import { finishedKey } from './turn-scripts.js';

export type Direction = 'in' | 'out';

const keyOf = (prefix: string, direction: Direction, conversationId: string) =>
  `${prefix}:pending:${direction}:${conversationId}`;

export async function addPending(
  redis: Redis,
  prefix: string,
  direction: Direction,
  conversationId: string,
  messageIds: string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  const now = Date.now();
  // Same score for a batch: ties are ordered by member, and ObjectIds of one batch ascend.
  const args = messageIds.flatMap((id) => [now, id]);
  await redis.zadd(keyOf(prefix, direction, conversationId), 'NX', ...args);
}

/** Pending message ids, oldest first, plus `alsoIds` (the job's own) when the index lacks them. */
export async function listPending(
  redis: Redis,
  prefix: string,
  direction: Direction,
  conversationId: string,
  alsoIds: string[] = [],
): Promise<string[]> {
  const ids = await redis.zrange(keyOf(prefix, direction, conversationId), 0, -1);
  for (const id of alsoIds) if (!ids.includes(id)) ids.push(id);
  return ids;
}

export async function removePending(
  redis: Redis,
  prefix: string,
  direction: Direction,
  conversationId: string,
  messageIds: string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  await redis.zrem(keyOf(prefix, direction, conversationId), ...messageIds);
}

export async function hasPending(
  redis: Redis,
  prefix: string,
  direction: Direction,
  conversationId: string,
): Promise<boolean> {
  return (await redis.zcard(keyOf(prefix, direction, conversationId))) > 0;
}

/**
 * Removes delivered (or finally failed) messages from the index and notes them as finished for
 * the in-flight cleanup (src/pipeline/queues/reconciler.ts), in one round trip.
 */
export async function settlePending(
  redis: Redis,
  prefix: string,
  direction: Direction,
  conversationId: string,
  messageIds: string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  await redis
    .multi()
    .zrem(keyOf(prefix, direction, conversationId), ...messageIds)
    .sadd(finishedKey(prefix), ...messageIds)
    .exec();
}
