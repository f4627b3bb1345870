/**
 * An inbound job under the conversation lock: the conversation's pending messages are handled in
 * order, each finished by its own script (the last one also releases the lock), and messages
 * that arrived meanwhile are drained too before the job ends.
 */
import { DelayedError, type Job } from 'bullmq';
import { release } from '../../kernel/redis/lock.js';
import type { DeliveryOutcome } from './turn-delivery.js';
import { loadPending, type InboundJob } from './inbound-pending.js';
import { runInboundTurn, type InboundTurnDeps } from './inbound-turn.js';
import {
  finishTurn,
  lockAndList,
  turnKeys,
  type ConversationHold,
  type TurnKeys,
} from './turn-scripts.js';

export interface InboundDrainDeps extends InboundTurnDeps {
  /** Where BullMQ keeps an inbound job's hash (`<prefix>:<queue>:<job id>`, field `data`). */
  jobKeyPrefix: string;
  lockTtlMs: number;
}

/**
 * Handles the pending messages in order under the lock; the last step releases the lock in the
 * same script. Returns how many messages arrived meanwhile.
 */
async function drain(
  deps: InboundDrainDeps,
  job: InboundJob,
  keys: TurnKeys,
  lock: ConversationHold,
): Promise<number> {
  const ids = [...lock.pending];
  if (!ids.includes(job.messageId)) ids.push(job.messageId);
  for (const [i, id] of ids.entries()) {
    const last = i === ids.length - 1;
    const message = await loadPending(id, job, lock);
    const held = lock.outbound ? lock.owner : undefined;
    const outcome: DeliveryOutcome =
      message && message !== 'missing'
        ? await runInboundTurn(deps, message, keys, held)
        : { delivered: [], outboundOwner: held };
    // Released by the finishing script below: later messages claim it again if need be.
    if (outcome.outboundOwner === held) lock.outbound = false;
    // Finished one by one: a replay after a crash then meets at most this message handled and
    // still indexed, which its conversation's lastTurn recognises.
    const remaining = await finishTurn(deps.connection, keys, {
      conversationOwner: last ? lock.owner : undefined,
      outboundOwner: outcome.outboundOwner,
      handled: message === 'missing' ? [] : [id],
      dropped: message === 'missing' ? [id] : [],
      delivered: outcome.delivered,
    });
    if (last) return remaining;
  }
  return 0;
}

/** Drains under the lock; a thrown error releases both locks (they share the token). */
async function drainOrRelease(
  deps: InboundDrainDeps,
  job: InboundJob,
  keys: TurnKeys,
  lock: ConversationHold,
): Promise<number> {
  try {
    return await drain(deps, job, keys, lock);
  } catch (err) {
    // Both locks share the token; the outbound one only if we still hold it.
    await release(deps.connection, keys.conversationLock, lock.owner);
    await release(deps.connection, keys.outboundLock, lock.owner);
    throw err;
  }
}

export async function processInboundJob(
  deps: InboundDrainDeps,
  job: Job<InboundJob>,
  token?: string,
): Promise<void> {
  const keys = turnKeys(deps.prefix, job.data.conversationId);
  const { jobKeyPrefix, lockTtlMs } = deps;
  const first = await lockAndList(deps.connection, keys, lockTtlMs, {
    messageId: job.data.messageId,
    jobKeyPrefix,
  });
  // Another job's drain handled our message while we waited for the lock.
  if (first === 'finished') return;
  let lock = first;
  if (!lock) {
    // The holder may well handle our message meanwhile; if not, we come back shortly.
    await job.moveToDelayed(Date.now() + 200, token);
    throw new DelayedError();
  }
  while (lock) {
    const remaining = await drainOrRelease(deps, job.data, keys, lock);
    // A message stored while we held the lock may have had its own job delayed by us.
    const next =
      remaining > 0
        ? await lockAndList(deps.connection, keys, lockTtlMs, { jobKeyPrefix })
        : undefined;
    lock = next === 'finished' ? undefined : next;
  }
}
