/**
 * Outbound queue: one job per engine turn (or staff reply) listing message ids in order. Sends are
 * retried with backoff, honouring the platform's retry-after; a message that finally fails is
 * marked `failed` on the Message, never dropped silently.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ChannelSendError, type ChannelAdapter } from '../contracts/channel-adapter.js';
import type { ChannelId, OutboundMessage } from '../contracts/messages.js';
import { findConversation } from '../store/conversations.js';
import { findMessage, markMessage } from '../store/messages.js';
import type { MessageDoc } from '../store/models/message.js';

export const OUTBOUND_QUEUE = 'outbound';
export const OUTBOUND_ATTEMPTS = 8;

export interface OutboundJob {
  messageIds: string[];
}

export function createOutboundQueue(connection: Redis, prefix: string): Queue<OutboundJob> {
  return new Queue<OutboundJob>(OUTBOUND_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: OUTBOUND_ATTEMPTS,
      backoff: { type: 'channel' },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

export async function enqueueOutbound(
  queue: Queue<OutboundJob>,
  messageIds: string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  await queue.add('send', { messageIds }, { jobId: `out-${messageIds[0]}` });
}

/** Backoff: the platform's retry-after when it gave one, else exponential from 1 s, capped at 5 min. */
export function outboundBackoff(
  attemptsMade: number,
  err: Error | undefined,
  baseMs = 1000,
): number {
  if (err instanceof ChannelSendError && err.retryAfterMs !== undefined) return err.retryAfterMs;
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 300_000);
}

export async function toOutboundMessage(message: MessageDoc): Promise<OutboundMessage | undefined> {
  const conversation = await findConversation(message.conversationId);
  if (!conversation) return undefined;
  return {
    id: message._id.toHexString(),
    channel: message.channel as ChannelId,
    conversationId: conversation._id.toHexString(),
    platformUserId: conversation.platformUserId,
    platformConversationId: conversation.platformConversationId,
    text: message.text ?? '',
    quickReplies: message.quickReplies?.map((q) => ({
      title: q.title ?? '',
      payload: q.payload ?? '',
    })),
    awaiting: message.awaiting?.flow
      ? { flow: message.awaiting.flow, slot: message.awaiting.slot ?? '' }
      : undefined,
    replyContext: (conversation.replyContext as Record<string, string> | undefined) ?? undefined,
    locale: conversation.locale ?? undefined,
  };
}

export function createOutboundWorker(opts: {
  connection: Redis;
  prefix: string;
  adapters: ReadonlyMap<ChannelId, ChannelAdapter>;
  logger: Logger;
  /** Base of the exponential backoff; tests shorten it. */
  backoffBaseMs?: number;
  /** Called after a message is sent or finally failed (metrics, staff notices). */
  onSettled?: (message: MessageDoc, outcome: 'sent' | 'failed') => void | Promise<void>;
}): Worker<OutboundJob> {
  const { adapters, logger } = opts;

  async function fail(message: MessageDoc, reason: string): Promise<void> {
    await markMessage(message._id, { status: 'failed', error: reason });
    logger.warn(
      { messageId: String(message._id), channel: message.channel, reason },
      'message delivery failed',
    );
    await opts.onSettled?.(message, 'failed');
  }

  const processJob = async (job: Job<OutboundJob>): Promise<void> => {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    for (const id of job.data.messageIds) {
      const message = await findMessage(id);
      if (!message || message.status === 'sent' || message.status === 'failed') continue;
      const adapter = adapters.get(message.channel as ChannelId);
      const outbound = await toOutboundMessage(message);
      if (!adapter || !outbound) {
        await fail(
          message,
          adapter ? 'conversation_missing' : `channel_unavailable:${message.channel}`,
        );
        continue;
      }
      try {
        const result = await adapter.send(outbound);
        await markMessage(message._id, {
          status: 'sent',
          platformMessageId: result.platformMessageId,
          attempts: job.attemptsMade + 1,
        });
        await opts.onSettled?.(message, 'sent');
      } catch (err) {
        const retryable = !(err instanceof ChannelSendError) || err.retryable;
        const reason = err instanceof Error ? err.message : String(err);
        if (!retryable || finalAttempt) {
          await fail(message, reason);
          continue;
        }
        await markMessage(message._id, { attempts: job.attemptsMade + 1, error: reason });
        throw err;
      }
    }
  };

  const worker = new Worker<OutboundJob>(OUTBOUND_QUEUE, processJob, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: 16,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        outboundBackoff(attemptsMade, err, opts.backoffBaseMs),
    },
  });
  worker.on('error', (err) => logger.error({ err }, 'outbound worker error'));
  return worker;
}

export { UnrecoverableError };
