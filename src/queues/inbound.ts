/**
 * Inbound queue: a job per stored customer message. The worker handles one conversation at a time
 * (a Redis lock per conversation) and its unprocessed messages oldest first, so dialogue order
 * holds across retries and instances.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MessageDoc } from '../store/models/message.js';
import { findMessage, markMessage } from '../store/messages.js';
import { Message } from '../store/models/message.js';
import { InstallQueue, refuseForeignJobs, type InstallScope } from './install-scope.js';
import { addPending, hasPending, listPending, removePending } from './pending-index.js';
import { conversationLockKey, drainExclusively } from './redis-lock.js';

export const INBOUND_QUEUE = 'inbound';
const LOCK_TTL_MS = 60_000;
/** After this many failed attempts on one message, it is set aside so the conversation moves on. */
const MAX_MESSAGE_ATTEMPTS = 5;

export interface InboundJob {
  conversationId: string;
  messageId: string;
}

export type InboundHandler = (message: MessageDoc) => Promise<void>;

export function createInboundQueue(
  connection: Redis,
  prefix: string,
  installId: string,
): Queue<InboundJob> {
  return new InstallQueue<InboundJob>(INBOUND_QUEUE, {
    installId,
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 20,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

/** Enqueues; the message id is the job id, so a repeated enqueue of the same message is a no-op. */
export async function enqueueInbound(queue: Queue<InboundJob>, job: InboundJob): Promise<void> {
  // Our queues are built on our own ioredis connection (createInboundQueue/createOutboundQueue).
  const client = queue.opts.connection as Redis;
  await addPending(client, queue.opts.prefix ?? 'bull', 'in', job.conversationId, [job.messageId]);
  await queue.add('message', job, { jobId: job.messageId });
}

export function createInboundWorker(opts: {
  connection: Redis;
  prefix: string;
  handle: InboundHandler;
  logger: Logger;
  /** Jobs of another install are refused (src/queues/install-scope.ts). */
  install: InstallScope;
  concurrency?: number;
}): Worker<InboundJob> {
  const { connection, prefix, handle, logger } = opts;
  // The engine's lock; staff actions take the same one (src/escalation/conversation-lock.ts).
  const lockKey = (conversationId: string) =>
    conversationLockKey(prefix, 'conversation', conversationId);

  /** Unprocessed inbound messages of the conversation, oldest first; handled ones leave the index. */
  async function unprocessed(conversationId: string, jobMessageId: string): Promise<MessageDoc[]> {
    const ids = await listPending(connection, prefix, 'in', conversationId, [jobMessageId]);
    const docs = await Promise.all(ids.map((id) => findMessage(id)));
    const done = ids.filter((_, i) => docs[i]?.status !== 'received');
    await removePending(connection, prefix, 'in', conversationId, done);
    return docs.filter((d): d is MessageDoc => d?.status === 'received');
  }

  async function drain(conversationId: string, jobMessageId: string): Promise<void> {
    for (;;) {
      const pending = await unprocessed(conversationId, jobMessageId);
      if (pending.length === 0) return;
      for (const message of pending) {
        try {
          await handle(message);
          await markMessage(message._id, { status: 'processed' });
          await removePending(connection, prefix, 'in', conversationId, [String(message._id)]);
        } catch (err) {
          const attempts = (message.attempts ?? 0) + 1;
          if (attempts >= MAX_MESSAGE_ATTEMPTS) {
            logger.error({ err, messageId: String(message._id) }, 'engine gave up on a message');
            await markMessage(message._id, {
              status: 'processed',
              error: 'engine_failed',
              attempts,
            });
            await removePending(connection, prefix, 'in', conversationId, [String(message._id)]);
            continue;
          }
          await Message.updateOne({ _id: message._id }, { $set: { attempts } });
          throw err;
        }
      }
    }
  }

  const processJob = async (job: Job<InboundJob>, token?: string): Promise<void> => {
    const { conversationId, messageId } = job.data;
    await drainExclusively({
      redis: connection,
      key: lockKey(conversationId),
      ttlMs: LOCK_TTL_MS,
      job,
      token,
      retryInMs: 200,
      drain: () => drain(conversationId, messageId),
      hasMore: () => hasPending(connection, prefix, 'in', conversationId),
    });
  };

  const accepted = refuseForeignJobs(opts.install, INBOUND_QUEUE, processJob);
  const worker = new Worker<InboundJob>(INBOUND_QUEUE, accepted, {
    connection,
    prefix,
    concurrency: opts.concurrency ?? 8,
  });
  worker.on('failed', (job, err) =>
    logger.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'inbound job failed'),
  );
  worker.on('error', (err) => logger.error({ err }, 'inbound worker error'));
  return worker;
}
