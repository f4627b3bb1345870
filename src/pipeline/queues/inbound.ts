/**
 * Inbound queue: a job per stored customer message, carrying the message itself. The worker
 * handles one conversation at a time (a Redis lock per conversation) and its pending messages
 * oldest first, so dialogue order holds across retries and instances; it saves each turn through
 * the engine and delivers the turn's replies itself (src/pipeline/queues/turn-delivery.ts). A replayed job
 * is harmless: turns are idempotent (docs/ARCHITECTURE.md, crash consistency).
 *
 * The job's path: inbound-drain.ts (lock, pending messages in order) → inbound-pending.ts (each
 * message from its job's data) → inbound-turn.ts (engine, delivery, marks).
 */
import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TurnMessage } from '../engine/turn.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../kernel/redis/install-scope.js';
import { addPending } from './pending-index.js';
import type { TurnDeliveryDeps } from './turn-delivery.js';
import { processInboundJob, type InboundDrainDeps } from './inbound-drain.js';
import type { InboundJob } from './inbound-pending.js';
import type { InboundHandler } from './inbound-turn.js';
import { logWorkerErrors } from '../../kernel/redis/redis.js';
import { contextOf, inSpan, SpanKind } from '../../kernel/tracing.js';

export type { InboundJob } from './inbound-pending.js';
export type { InboundHandler } from './inbound-turn.js';

export const INBOUND_QUEUE = 'inbound';
/** How long a dead worker can keep a conversation locked. */
export const LOCK_TTL_MS = 30_000;
/** A worker that died mid-job stalls it: re-run it (BullMQ's default of 1 fails it for good). */
export const MAX_STALLED_COUNT = 1000;

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
  const { connection, prefix, logger } = opts;
  const deps: InboundDrainDeps = {
    connection,
    prefix,
    handle: opts.handle,
    logger,
    reroute: opts.reroute,
    delivery: { ...opts.delivery, redis: connection, logger, lockTtlMs: LOCK_TTL_MS },
    jobKeyPrefix: `${prefix}:${INBOUND_QUEUE}:`,
    lockTtlMs: LOCK_TTL_MS,
  };
  // The job's span continues the trace its data carried (the request that brought the message).
  const processJob = (job: Job<InboundJob>, token?: string) =>
    inSpan(
      'inbound job',
      {
        kind: SpanKind.CONSUMER,
        parent: contextOf(job.data.trace),
        attributes: {
          'messaging.destination.name': INBOUND_QUEUE,
          'charla.attempt': job.attemptsMade,
        },
      },
      () => processInboundJob(deps, job, token),
    );

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
  worker.on('error', logWorkerErrors(logger, 'inbound worker error'));
  return worker;
}
