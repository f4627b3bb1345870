/**
 * Outbound queue: one job per engine turn (or staff reply). A job delivers every pending message
 * of its conversation, oldest first, under a per-conversation lock, so replies reach the customer
 * in the order they were written even when a send is retried. Sends are retried with backoff,
 * honouring the platform's retry-after; a message that finally fails is marked `failed` on the
 * Message (with the error, for admins), never dropped silently.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ChannelSendError, type ChannelAdapter } from '../../kernel/contracts/channel-adapter.js';
import type { ChannelId, OutboundMessage } from '../../kernel/contracts/messages.js';
import { findConversation } from '../../kernel/db/conversations.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import { findMessage, markMessage } from '../../kernel/db/messages.js';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../kernel/redis/install-scope.js';
import {
  addPending,
  hasPending,
  listPending,
  removePending,
  settlePending,
} from './pending-index.js';
import { conversationLockKey, drainExclusively } from '../../kernel/redis/lock.js';
import { logWorkerErrors } from '../../kernel/redis/redis.js';
import { carrierOf, contextOf, inSpan, SpanKind, type TraceCarrier } from '../../kernel/tracing.js';

export const OUTBOUND_QUEUE = 'outbound';
/** Delivery attempts per message before it is marked failed. */
export const OUTBOUND_ATTEMPTS = 8;
const LOCK_TTL_MS = 30_000;
/** A worker that died mid-job stalls it: re-run it (BullMQ's default of 1 fails it for good). */
const MAX_STALLED_COUNT = 1000;

export interface OutboundJob {
  conversationId: string;
  /** The messages this turn added (for tracing; the worker delivers all pending ones in order). */
  messageIds: string[];
  /** The trace of the turn that handed them over (only when tracing is on). */
  trace?: TraceCarrier;
}

export function createOutboundQueue(
  connection: Redis,
  prefix: string,
  installId: string,
): Queue<OutboundJob> {
  return new InstallQueue<OutboundJob>(OUTBOUND_QUEUE, {
    installId,
    connection,
    prefix,
    defaultJobOptions: {
      // Attempts are counted per message (OUTBOUND_ATTEMPTS); the job may also carry the retries of
      // an earlier turn's message that blocks the conversation, hence the margin.
      attempts: OUTBOUND_ATTEMPTS * 4,
      backoff: { type: 'channel' },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

export async function enqueueOutbound(
  queue: Queue<OutboundJob>,
  conversationId: string,
  messageIds: string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  // Our queues are built on our own ioredis connection (createInboundQueue/createOutboundQueue).
  const client = queue.opts.connection as Redis;
  await addPending(client, queue.opts.prefix ?? 'bull', 'out', conversationId, messageIds);
  const trace = carrierOf();
  await queue.add(
    'send',
    { conversationId, messageIds, ...(trace ? { trace } : {}) },
    { jobId: `out-${messageIds[0]}` },
  );
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

/** The platform-neutral message for a stored reply, from its conversation. */
export function outboundOf(conversation: ConversationDoc, reply: MessageDoc): OutboundMessage {
  return {
    id: reply._id.toHexString(),
    channel: conversation.channel as ChannelId,
    conversationId: conversation._id.toHexString(),
    platformUserId: conversation.platformUserId,
    platformConversationId: conversation.platformConversationId,
    text: reply.text ?? '',
    quickReplies: reply.quickReplies?.map((q) => ({
      title: q.title ?? '',
      payload: q.payload ?? '',
    })),
    awaiting: reply.awaiting?.flow
      ? { flow: reply.awaiting.flow, slot: reply.awaiting.slot ?? '' }
      : undefined,
    replyContext: (conversation.replyContext as Record<string, string> | undefined) ?? undefined,
    locale: conversation.locale ?? undefined,
    ...(reply.author !== 'customer' ? { author: reply.author } : {}),
    ...(reply.createdAt ? { createdAt: new Date(reply.createdAt) } : {}),
    internal: reply.internal === true,
  };
}

export async function toOutboundMessage(message: MessageDoc): Promise<OutboundMessage | undefined> {
  const conversation = await findConversation(message.conversationId);
  return conversation ? outboundOf(conversation, message) : undefined;
}

export function createOutboundWorker(opts: {
  connection: Redis;
  prefix: string;
  adapters: ReadonlyMap<ChannelId, ChannelAdapter>;
  logger: Logger;
  /** Jobs of another install are refused (src/kernel/redis/install-scope.ts). */
  install: InstallScope;
  /** Base of the exponential backoff; tests shorten it. */
  backoffBaseMs?: number;
  /** Called after a message is sent or finally failed (metrics, staff notices). */
  onSettled?: (message: MessageDoc, outcome: 'sent' | 'failed') => void | Promise<void>;
}): Worker<OutboundJob> {
  const { adapters, logger } = opts;

  async function fail(message: MessageDoc, reason: string): Promise<void> {
    // Still pending: a bounce read meanwhile has already failed it, with the better reason.
    const update = { status: 'failed', error: reason, attempts: message.attempts } as const;
    await markMessage(message._id, update, 'pending');
    await settlePending(opts.connection, opts.prefix, 'out', String(message.conversationId), [
      String(message._id),
    ]);
    logger.warn(
      { messageId: String(message._id), channel: message.channel, reason },
      'message delivery failed',
    );
    await opts.onSettled?.(message, 'failed');
  }

  const { connection, prefix } = opts;

  /** Outbound messages of the conversation still waiting for delivery, oldest first. */
  async function pendingOutbound(conversationId: string, jobIds: string[]): Promise<MessageDoc[]> {
    const ids = await listPending(connection, prefix, 'out', conversationId, jobIds);
    const docs = await Promise.all(ids.map((id) => findMessage(id)));
    const done = ids.filter((_, i) => docs[i]?.status !== 'pending');
    await removePending(connection, prefix, 'out', conversationId, done);
    return docs.filter((d): d is MessageDoc => d?.status === 'pending');
  }

  /** Sends pending messages in order; throws on a retryable failure so the job backs off. */
  async function drain(conversationId: string, jobIds: string[]): Promise<void> {
    for (;;) {
      const pending = await pendingOutbound(conversationId, jobIds);
      if (pending.length === 0) return;
      for (const message of pending) {
        const attempts = (message.attempts ?? 0) + 1;
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
            attempts,
          });
          await settlePending(connection, prefix, 'out', conversationId, [String(message._id)]);
          await opts.onSettled?.(message, 'sent');
        } catch (err) {
          const retryable = !(err instanceof ChannelSendError) || err.retryable;
          const reason = err instanceof Error ? err.message : String(err);
          if (!retryable || attempts >= OUTBOUND_ATTEMPTS) {
            await fail({ ...message, attempts }, reason);
            continue;
          }
          // Later messages wait behind this one: the customer must not read them out of order.
          await markMessage(message._id, { attempts, error: reason }, 'pending');
          throw err;
        }
      }
    }
  }

  const processJob = async (job: Job<OutboundJob>, token?: string): Promise<void> => {
    const { conversationId } = job.data;
    const span = {
      kind: SpanKind.CONSUMER,
      parent: contextOf(job.data.trace),
      attributes: {
        'messaging.destination.name': OUTBOUND_QUEUE,
        'charla.attempt': job.attemptsMade,
      },
    };
    await inSpan('outbound job', span, () =>
      drainExclusively({
        redis: opts.connection,
        key: conversationLockKey(opts.prefix, 'outbound', conversationId),
        ttlMs: LOCK_TTL_MS,
        job,
        token,
        retryInMs: 100,
        drain: () => drain(conversationId, job.data.messageIds),
        hasMore: () => hasPending(connection, prefix, 'out', conversationId),
      }),
    );
  };

  const accepted = refuseForeignJobs(opts.install, OUTBOUND_QUEUE, processJob);
  const worker = new Worker<OutboundJob>(OUTBOUND_QUEUE, accepted, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: 16,
    maxStalledCount: MAX_STALLED_COUNT,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        outboundBackoff(attemptsMade, err, opts.backoffBaseMs),
    },
  });
  worker.on('error', logWorkerErrors(logger, 'outbound worker error'));
  return worker;
}
