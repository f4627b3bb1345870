/**
 * Inbound queue: a job per stored customer message, carrying the message itself. The worker
 * handles one conversation at a time (a Redis lock per conversation) and its pending messages
 * oldest first, so dialogue order holds across retries and instances; it saves each turn through
 * the engine and delivers the turn's replies itself (src/pipeline/queues/turn-delivery.ts). A replayed job
 * is harmless: turns are idempotent (docs/ARCHITECTURE.md, crash consistency).
 */
import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Types } from 'mongoose';
import type { Attachment } from '../../kernel/contracts/messages.js';
import type { TurnMessage, TurnResult } from '../engine/engine.js';
import { findMessage, markMessage, type MessageUpdate } from '../../kernel/db/messages.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Message } from '../../kernel/db/models/message.js';
import {
  InstallQueue,
  installIdOf,
  refuseForeignJobs,
  type InstallScope,
} from '../../kernel/redis/install-scope.js';
import { addPending } from './pending-index.js';
import { release } from '../../kernel/redis/lock.js';
import { rememberRoute } from './route-cache.js';
import { deliverTurn, type DeliveryOutcome, type TurnDeliveryDeps } from './turn-delivery.js';
import {
  finishTurn,
  lockAndList,
  turnKeys,
  type ConversationHold,
  type TurnKeys,
} from './turn-scripts.js';

export const INBOUND_QUEUE = 'inbound';
/** How long a dead worker can keep a conversation locked. */
export const LOCK_TTL_MS = 30_000;
/** After this many failed attempts on one message, it is set aside so the conversation moves on. */
const MAX_MESSAGE_ATTEMPTS = 5;
/** A worker that died mid-job stalls it: re-run it (BullMQ's default of 1 fails it for good). */
export const MAX_STALLED_COUNT = 1000;

export interface InboundJob {
  conversationId: string;
  messageId: string;
  /** The contact ingest filed it under (from its route cache: may predate a merge). */
  contactId?: string;
  /** The stored message, so the worker reads no message document (absent on older jobs). */
  message?: { text: string; attachments?: Attachment[]; createdAt: string };
}

export type InboundHandler = (message: TurnMessage) => Promise<TurnResult>;

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

/**
 * Enqueues; the message id is the job id, so a repeated enqueue of the same message is a no-op.
 * `indexed`: the caller already added it to the pending index (ingest's route lookup does).
 */
export async function enqueueInbound(
  queue: Queue<InboundJob>,
  job: InboundJob,
  opts: { indexed?: boolean } = {},
): Promise<void> {
  // Our queues are built on our own ioredis connection (createInboundQueue/createOutboundQueue).
  const client = queue.opts.connection as Redis;
  if (!opts.indexed) {
    await addPending(client, queue.opts.prefix ?? 'bull', 'in', job.conversationId, [
      job.messageId,
    ]);
  }
  await queue.add('message', job, { jobId: job.messageId });
}

/** An inbound job's data as BullMQ stored it (JSON), or undefined. */
function jobDataOf(raw: string | undefined): InboundJob | undefined {
  if (!raw) return undefined;
  try {
    const data = JSON.parse(raw) as unknown;
    return typeof data === 'object' && data !== null ? (data as InboundJob) : undefined;
  } catch {
    return undefined;
  }
}

/** A message from its job's data, when the index vouches that it still waits. */
function messageOfJob(data: InboundJob): TurnMessage | undefined {
  if (!data.message) return undefined;
  return {
    _id: new Types.ObjectId(data.messageId),
    conversationId: new Types.ObjectId(data.conversationId),
    ...(data.contactId ? { contactId: new Types.ObjectId(data.contactId) } : {}),
    direction: 'in',
    text: data.message.text,
    attachments: data.message.attachments as TurnMessage['attachments'],
    createdAt: new Date(data.message.createdAt),
  };
}

// eslint-disable-next-line max-lines-per-function -- over 150 lines until its split (issue 17) lands
export function createInboundWorker(opts: {
  connection: Redis;
  prefix: string;
  handle: InboundHandler;
  logger: Logger;
  /** Jobs of another install are refused (src/kernel/redis/install-scope.ts). */
  install: InstallScope;
  /**
   * Moves a message routed to a conversation closed meanwhile to the open one and queues it
   * there (src/pipeline/ingest.ts); the message stays `received` until that job handles it.
   */
  reroute?: (message: TurnMessage, closed: ConversationDoc) => Promise<void>;
  /** How turns' replies are delivered (adapters, the outbound queue for retries). */
  delivery: Omit<TurnDeliveryDeps, 'redis' | 'logger' | 'lockTtlMs'>;
  concurrency?: number;
}): Worker<InboundJob> {
  const { connection, prefix, handle, logger } = opts;
  /** Where BullMQ keeps an inbound job's hash (`<prefix>:<queue>:<job id>`, field `data`). */
  const jobKeyPrefix = `${prefix}:${INBOUND_QUEUE}:`;
  const delivery: TurnDeliveryDeps = {
    ...opts.delivery,
    redis: connection,
    logger,
    lockTtlMs: LOCK_TTL_MS,
  };

  /**
   * A pending message still to handle: from its queued job's data while the index vouches that it
   * still waits (the job's own, or another's returned by `lockAndList`), else from MongoDB if
   * still `received`; 'missing' when no such message was stored (an index entry only).
   */
  async function load(id: string, job: Job<InboundJob>, lock: ConversationHold) {
    if (lock.pending.includes(id)) {
      const data = id === job.data.messageId ? job.data : jobDataOf(lock.jobData.get(id));
      const ours =
        data?.messageId === id &&
        data.conversationId === job.data.conversationId &&
        installIdOf(data) === installIdOf(job.data);
      const fromJob = ours ? messageOfJob(data) : undefined;
      if (fromJob) return fromJob;
    }
    const doc = await findMessage(id);
    if (!doc) return 'missing' as const;
    return doc.status === 'received' ? (doc as TurnMessage) : undefined;
  }

  /** One turn: the engine saves it, then its replies go out and the message is marked processed. */
  async function handleOne(
    message: TurnMessage,
    keys: TurnKeys,
    heldOutbound: string | undefined,
  ): Promise<DeliveryOutcome> {
    let result: TurnResult;
    try {
      result = await handle(message);
    } catch (err) {
      const counted = await Message.findOneAndUpdate(
        { _id: message._id },
        { $inc: { attempts: 1 } },
        { returnDocument: 'after', projection: { attempts: 1 } },
      ).lean();
      const attempts = counted?.attempts ?? MAX_MESSAGE_ATTEMPTS;
      if (attempts < MAX_MESSAGE_ATTEMPTS) throw err;
      logger.error({ err, messageId: String(message._id) }, 'engine gave up on a message');
      await markMessage(message._id, { status: 'processed', error: 'engine_failed', attempts });
      return { delivered: [] };
    }
    if (result.closed && result.conversation) {
      await opts.reroute?.(message, result.conversation);
      return { delivered: [] };
    }
    const current = result.conversation;
    if (current && message.contactId && !current.contactId.equals(message.contactId)) {
      // A merge moved the conversation to another contact: ingest's route must follow.
      await rememberRoute(
        connection,
        prefix,
        current.channel,
        current.platformConversationId,
        { conversationId: current._id.toHexString(), contactId: current.contactId.toHexString() },
        (current.replyContext as Record<string, string> | undefined) ?? undefined,
      );
    }
    const set: MessageUpdate = {
      status: 'processed',
      ...(result.nlu ? { nlu: result.nlu } : {}),
      ...(typeof result.sentiment === 'number' ? { sentiment: result.sentiment } : {}),
      // Ingest may have routed it from a cache older than a contact merge (route-cache.ts).
      ...(result.conversation ? { contactId: result.conversation.contactId } : {}),
    };
    if (result.conversation && result.replies.length > 0) {
      return deliverTurn(
        delivery,
        keys,
        result.conversation,
        result.replies,
        { id: message._id, set },
        { alreadyDelivered: result.delivered, heldOutbound },
      );
    }
    await markMessage(message._id, set);
    return { delivered: result.delivered ?? [], outboundOwner: heldOutbound };
  }

  /**
   * Handles the pending messages in order under the lock; the last step releases the lock in the
   * same script. Returns how many messages arrived meanwhile.
   */
  async function drain(job: Job<InboundJob>, keys: TurnKeys, lock: ConversationHold) {
    const ids = [...lock.pending];
    if (!ids.includes(job.data.messageId)) ids.push(job.data.messageId);
    for (const [i, id] of ids.entries()) {
      const last = i === ids.length - 1;
      const message = await load(id, job, lock);
      const held = lock.outbound ? lock.owner : undefined;
      const outcome: DeliveryOutcome =
        message && message !== 'missing'
          ? await handleOne(message, keys, held)
          : { delivered: [], outboundOwner: held };
      // Released by the finishing script below: later messages claim it again if need be.
      if (outcome.outboundOwner === held) lock.outbound = false;
      // Finished one by one: a replay after a crash then meets at most this message handled and
      // still indexed, which its conversation's lastTurn recognises.
      const remaining = await finishTurn(connection, keys, {
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

  const processJob = async (job: Job<InboundJob>, token?: string): Promise<void> => {
    const keys = turnKeys(prefix, job.data.conversationId);
    const first = await lockAndList(connection, keys, LOCK_TTL_MS, {
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
      let remaining: number;
      try {
        remaining = await drain(job, keys, lock);
      } catch (err) {
        // Both locks share the token; the outbound one only if we still hold it.
        await release(connection, keys.conversationLock, lock.owner);
        await release(connection, keys.outboundLock, lock.owner);
        throw err;
      }
      // A message stored while we held the lock may have had its own job delayed by us.
      const next =
        remaining > 0
          ? await lockAndList(connection, keys, LOCK_TTL_MS, { jobKeyPrefix })
          : undefined;
      lock = next === 'finished' ? undefined : next;
    }
  };

  const accepted = refuseForeignJobs(opts.install, INBOUND_QUEUE, processJob);
  const worker = new Worker<InboundJob>(INBOUND_QUEUE, accepted, {
    connection,
    prefix,
    concurrency: opts.concurrency ?? 8,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  worker.on('failed', (job, err) =>
    logger.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'inbound job failed'),
  );
  worker.on('error', (err) => logger.error({ err }, 'inbound worker error'));
  return worker;
}
