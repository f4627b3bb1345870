/**
 * The webhook delivery queue: one BullMQ job per (webhook, event), job id = delivery id, so an
 * event published twice (a replayed turn) is queued once. Each attempt signs the body afresh
 * (new timestamp), POSTs it (src/features/webhooks/send.ts) and records the outcome on the delivery record;
 * retryable failures back off exponentially (WEBHOOK_BACKOFF_BASE_MS · 2^n, capped at 1 h) up to
 * WEBHOOK_ATTEMPTS, a refusal (4xx other than 408/429, a redirect) fails at once.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../kernel/logger.js';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../kernel/redis/install-scope.js';
import {
  DELIVERY_RETENTION_DAYS,
  Webhook,
  WebhookDelivery,
  type DeliveredEvent,
  type DeliveryStatus,
} from './models.js';
import type { AddressPolicy } from './address-policy.js';
import { attemptDelivery, type AttemptOutcome } from './send.js';
import { signature } from './signing.js';
import { logWorkerErrors } from '../../kernel/redis/redis.js';
import type { Metrics } from '../../kernel/metrics.js';

export const WEBHOOK_QUEUE = 'webhooks';
export const WEBHOOK_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 5000;
const BACKOFF_CAP_MS = 3_600_000;
const MAX_STALLED_COUNT = 1000;

export interface DeliveryJob {
  webhookId: string;
  deliveryId: string;
  eventId: string;
  event: DeliveredEvent;
  /** ISO time the event happened. */
  createdAt: string;
  data: Record<string, unknown>;
}

export type WebhookQueue = InstallQueue<DeliveryJob>;

export function createWebhookQueue(
  connection: Redis,
  prefix: string,
  installId: string,
): WebhookQueue {
  return new InstallQueue<DeliveryJob>(WEBHOOK_QUEUE, {
    installId,
    connection,
    prefix,
    defaultJobOptions: {
      attempts: WEBHOOK_ATTEMPTS,
      backoff: { type: 'webhook' },
      // Kept a week after success (the job id deduplicates replays meanwhile) and as long as the
      // delivery record after a failure (the retry button re-runs the kept job).
      removeOnComplete: { age: 7 * 24 * 3600, count: 20_000 },
      removeOnFail: { age: DELIVERY_RETENTION_DAYS * 24 * 3600 },
    },
  });
}

export function webhookBackoff(attemptsMade: number, baseMs = BACKOFF_BASE_MS): number {
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), BACKOFF_CAP_MS);
}

/** The exact bytes sent: the body of every attempt of this delivery. */
export const bodyOf = (job: DeliveryJob): string =>
  JSON.stringify({ id: job.eventId, event: job.event, createdAt: job.createdAt, data: job.data });

export interface WorkerDeps {
  connection: Redis;
  /** Where deliveries may connect (address-policy.ts). */
  policy: AddressPolicy;
  prefix: string;
  install: InstallScope;
  logger: Logger;
  timeoutMs: number;
  backoffBaseMs?: number;
  /** Attempt latency and failures (GET /metrics); none in unit use. */
  metrics?: Pick<Metrics, 'webhookSeconds' | 'webhookFailures'>;
  now?: () => Date;
}

async function record(
  job: DeliveryJob,
  outcome: AttemptOutcome,
  status: DeliveryStatus,
  at: Date,
  nextAttemptAt?: Date,
): Promise<void> {
  await WebhookDelivery.updateOne(
    { _id: job.deliveryId },
    {
      $set: {
        status,
        lastStatusCode: outcome.statusCode ?? null,
        lastError: outcome.kind === 'delivered' ? null : outcome.error,
        lastAttemptAt: at,
        nextAttemptAt: nextAttemptAt ?? null,
        ...(status === 'delivered' ? { deliveredAt: at } : {}),
      },
      $inc: { attempts: 1 },
    },
  );
}

/** Creates the delivery record on the first attempt; its current status otherwise. */
async function ensureRecord(job: DeliveryJob): Promise<DeliveryStatus> {
  try {
    await WebhookDelivery.create({
      _id: job.deliveryId,
      webhookId: job.webhookId,
      event: job.event,
      eventId: job.eventId,
    });
    return 'pending';
  } catch {
    const existing = await WebhookDelivery.findById(job.deliveryId, { status: 1 }).lean();
    if (!existing) throw new Error('delivery record could not be created');
    return existing.status as DeliveryStatus;
  }
}

export function createWebhookWorker(deps: WorkerDeps): Worker<DeliveryJob> {
  const now = deps.now ?? (() => new Date());
  let prunedAt = 0;

  async function prune(): Promise<void> {
    if (Date.now() - prunedAt < 3_600_000) return;
    prunedAt = Date.now();
    const cutoff = new Date(Date.now() - DELIVERY_RETENTION_DAYS * 86_400_000);
    await WebhookDelivery.deleteMany({ createdAt: { $lt: cutoff } });
  }

  async function processJob(job: Job<DeliveryJob>): Promise<void> {
    const d = job.data;
    const hook = await Webhook.findById(d.webhookId).lean();
    if (!hook) return; // deleted with its deliveries: nothing to send or record
    if ((await ensureRecord(d)) === 'delivered') return; // replayed event, already delivered
    const at = now();
    if (!hook.active && d.event !== 'ping') {
      deps.metrics?.webhookFailures.inc({ event: d.event, status: 'failed' });
      await record(d, { kind: 'refused', error: 'webhook_inactive' }, 'failed', at);
      throw new UnrecoverableError('webhook_inactive');
    }
    const body = bodyOf(d);
    const timestamp = Math.floor(at.getTime() / 1000);
    const started = performance.now();
    const outcome = await attemptDelivery({
      url: hook.url,
      body,
      timeoutMs: deps.timeoutMs,
      policy: deps.policy,
      headers: {
        'user-agent': 'Charla-Webhooks/1',
        'x-charla-event': d.event,
        'x-charla-delivery': d.deliveryId,
        'x-charla-timestamp': String(timestamp),
        'x-charla-signature': signature(hook.secret, timestamp, body),
      },
    });
    const seconds = (performance.now() - started) / 1000;
    deps.metrics?.webhookSeconds.observe({ event: d.event, outcome: outcome.kind }, seconds);
    if (outcome.kind === 'delivered') {
      await record(d, outcome, 'delivered', at);
      await prune().catch((err: unknown) => deps.logger.warn({ err }, 'delivery prune failed'));
      return;
    }
    const final =
      outcome.kind === 'refused' || job.attemptsMade + 1 >= (job.opts.attempts ?? WEBHOOK_ATTEMPTS);
    const next = final
      ? undefined
      : new Date(at.getTime() + webhookBackoff(job.attemptsMade + 1, deps.backoffBaseMs));
    await record(d, outcome, final ? 'failed' : 'retrying', at, next);
    deps.metrics?.webhookFailures.inc({ event: d.event, status: final ? 'failed' : 'retrying' });
    // The URL is the admin's configuration, not personal data; the body is never logged.
    deps.logger.warn(
      { webhookId: d.webhookId, deliveryId: d.deliveryId, event: d.event, error: outcome.error },
      final ? 'webhook delivery failed' : 'webhook delivery will be retried',
    );
    if (outcome.kind === 'refused') throw new UnrecoverableError(outcome.error);
    throw new Error(outcome.error);
  }

  const worker = new Worker<DeliveryJob>(
    WEBHOOK_QUEUE,
    refuseForeignJobs(deps.install, WEBHOOK_QUEUE, processJob),
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: 8,
      maxStalledCount: MAX_STALLED_COUNT,
      settings: {
        backoffStrategy: (attemptsMade: number) => webhookBackoff(attemptsMade, deps.backoffBaseMs),
      },
    },
  );
  worker.on('error', logWorkerErrors(deps.logger, 'webhook worker error'));
  return worker;
}
