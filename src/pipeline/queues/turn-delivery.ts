/**
 * Delivers a bot turn's replies from the inbound worker, right after the turn was saved, so the
 * usual answer needs no outbound job: claim the conversation's outbound lock (adding the replies
 * to its pending index in the same script), send them in order, mark each `sent` as soon as the
 * platform took it — the last one in the same batch that marks the inbound message processed.
 * When something older is still waiting, or a send fails, the rest goes to the outbound queue,
 * which retries in order (src/pipeline/queues/outbound.ts).
 */
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ChannelSendError, type ChannelAdapter } from '../../kernel/contracts/channel-adapter.js';
import type { ChannelId } from '../../kernel/contracts/messages.js';
import { trackInFlight } from '../../kernel/db/in-flight.js';
import { markMessage, markMessages, type MessageUpdate } from '../../kernel/db/messages.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import { enqueueOutbound, outboundOf, type OutboundJob } from './outbound.js';
import { release } from '../../kernel/redis/lock.js';
import { inSpan, SpanKind } from '../../kernel/tracing.js';
import { claimDelivery, type TurnKeys } from './turn-scripts.js';

/**
 * Where a delivery crash test interrupts: after a reply was sent and marked (`after-send`), before
 * the last reply's platform call (`before-send`), and in the one window where a crash re-sends a
 * reply: accepted by the platform, not yet marked (`unmarked-send`).
 */
export type DeliveryCrashPoint = 'after-send' | 'before-send' | 'unmarked-send';

export interface TurnDeliveryDeps {
  redis: Redis;
  adapters: ReadonlyMap<ChannelId, ChannelAdapter>;
  outboundQueue: Queue<OutboundJob>;
  logger: Logger;
  lockTtlMs: number;
  onSettled?: (message: MessageDoc, outcome: 'sent' | 'failed') => void | Promise<void>;
  crashAt?: (point: DeliveryCrashPoint) => void;
}

export interface DeliveryOutcome {
  /** The outbound lock's owner, to release in the turn's finishing script. */
  outboundOwner?: string;
  /** Replies that left the pending index (sent); the others wait for the outbound queue. */
  delivered: string[];
}

/**
 * Sends the replies and marks the inbound message processed (with `inbound`'s fields). Never
 * throws for a platform failure: the replies are then handed to the outbound queue.
 */
export async function deliverTurn(
  deps: TurnDeliveryDeps,
  keys: TurnKeys,
  conversation: ConversationDoc,
  replies: MessageDoc[],
  inbound: { id: MessageDoc['_id']; set: MessageUpdate },
  opts: { alreadyDelivered?: string[]; heldOutbound?: string } = {},
): Promise<DeliveryOutcome> {
  const ids = replies.map((r) => r._id.toHexString());
  if (opts.heldOutbound) {
    // The outbound lock came with the conversation lock and nothing was waiting: send now.
    return sendHolding(deps, keys, conversation, replies, inbound, opts.heldOutbound);
  }
  const claim = await claimDelivery(
    deps.redis,
    keys,
    deps.lockTtlMs,
    ids,
    opts.alreadyDelivered ?? [],
  );
  const ours = claim !== undefined && ids.every((id, i) => claim.pending[i] === id);
  if (!claim || !ours) {
    // Someone is delivering, or older replies wait (a retry): the queue keeps the order.
    await handOver(deps, conversation, ids, inbound);
    return { outboundOwner: claim?.owner, delivered: [] };
  }
  return sendHolding(deps, keys, conversation, replies, inbound, claim.owner);
}

async function sendHolding(
  deps: TurnDeliveryDeps,
  keys: TurnKeys,
  conversation: ConversationDoc,
  replies: MessageDoc[],
  inbound: { id: MessageDoc['_id']; set: MessageUpdate },
  owner: string,
): Promise<DeliveryOutcome> {
  try {
    return await sendInOrder(deps, conversation, replies, inbound, owner);
  } catch (err) {
    // Not a platform failure (those are handed over): let another attempt deliver at once.
    await release(deps.redis, keys.outboundLock, owner);
    throw err;
  }
}

async function sendInOrder(
  deps: TurnDeliveryDeps,
  conversation: ConversationDoc,
  replies: MessageDoc[],
  inbound: { id: MessageDoc['_id']; set: MessageUpdate },
  owner: string,
): Promise<DeliveryOutcome> {
  const ids = replies.map((r) => r._id.toHexString());
  const claim = { owner };
  const adapter = deps.adapters.get(conversation.channel as ChannelId);
  const delivered: string[] = [];
  for (const [i, reply] of replies.entries()) {
    const last = i === replies.length - 1;
    let platformMessageId: string | undefined;
    if (last) deps.crashAt?.('before-send');
    try {
      if (!adapter)
        throw new ChannelSendError(`channel_unavailable:${conversation.channel}`, {
          retryable: false,
        });
      const attributes = { 'charla.channel': conversation.channel };
      ({ platformMessageId } = await inSpan('send', { kind: SpanKind.CLIENT, attributes }, () =>
        adapter.send(outboundOf(conversation, reply)),
      ));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (err instanceof ChannelSendError && !err.retryable) {
        // The platform refused for good (chat gone, forbidden): no retry, as the outbound queue.
        await failForGood(deps, reply, error, last ? inbound : undefined);
        delivered.push(ids[i]!);
        continue;
      }
      deps.logger.info(
        { messageId: ids[i], channel: conversation.channel, error },
        'reply not delivered at once; queued for retries',
      );
      await markMessage(reply._id, { attempts: 1, error });
      await handOver(deps, conversation, ids.slice(i), inbound);
      return { outboundOwner: claim.owner, delivered };
    }
    const sent: MessageUpdate = { status: 'sent', platformMessageId, attempts: 1 };
    if (last) {
      deps.crashAt?.('unmarked-send');
      await markMessages([
        { id: reply._id, set: sent },
        { id: inbound.id, set: inbound.set },
      ]);
    } else {
      await markMessage(reply._id, sent);
      deps.crashAt?.('after-send');
    }
    delivered.push(ids[i]!);
    await deps.onSettled?.({ ...reply, ...sent } as MessageDoc, 'sent');
  }
  return { outboundOwner: claim.owner, delivered };
}

/** Marks a reply failed with the platform's reason (and, for the turn's last one, the inbound
 * message processed in the same batch), as the outbound queue does for a permanent refusal. */
async function failForGood(
  deps: TurnDeliveryDeps,
  reply: MessageDoc,
  error: string,
  inbound?: { id: MessageDoc['_id']; set: MessageUpdate },
): Promise<void> {
  const failed: MessageUpdate = { status: 'failed', error, attempts: 1 };
  await markMessages([
    { id: reply._id, set: failed },
    ...(inbound ? [{ id: inbound.id, set: inbound.set }] : []),
  ]);
  deps.logger.warn(
    { messageId: reply._id.toHexString(), channel: reply.channel, reason: error },
    'message delivery failed',
  );
  await deps.onSettled?.({ ...reply, ...failed } as MessageDoc, 'failed');
}

/** The outbound queue takes over these replies (tracked in flight); the turn itself is done. */
async function handOver(
  deps: TurnDeliveryDeps,
  conversation: ConversationDoc,
  ids: string[],
  inbound: { id: MessageDoc['_id']; set: MessageUpdate },
): Promise<void> {
  await trackInFlight(
    'out',
    conversation._id,
    ids.map((id) => new Types.ObjectId(id)),
  );
  await enqueueOutbound(deps.outboundQueue, conversation._id.toHexString(), ids);
  await markMessage(inbound.id, inbound.set);
}
