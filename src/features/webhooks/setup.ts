/**
 * Webhooks wired for one process: the delivery queue, the subscriber cache, what they hear on the
 * event bus (`subscriptions`) and, on worker processes, the delivery worker.
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../kernel/logger.js';
import type { InstallScope } from '../../kernel/redis/install-scope.js';
import type { WebhookAllowList } from '../../kernel/config/webhook-allow-hosts.js';
import { createAddressPolicy } from './address-policy.js';
import { createWebhookCache } from './cache.js';
import type { EventSubscriptions } from '../../kernel/events.js';
import { createWebhookPublisher, webhookSubscriptions } from './events.js';
import {
  createWebhookQueue,
  createWebhookWorker,
  type DeliveryJob,
  type WebhookQueue,
  type WorkerDeps,
} from './queue.js';
import { createWebhookService, type WebhookService } from './service.js';

export interface Webhooks {
  service: WebhookService;
  /** The delivery queue (erasure removes a person's deliveries: src/features/contacts/privacy/webhook-jobs.ts). */
  queue: WebhookQueue;
  /** The CRM events of the bus, queued as deliveries to the webhooks subscribed to them. */
  subscriptions: EventSubscriptions;
  /**
   * Runs the delivery worker on this process from the moment a webhook exists (none registered:
   * no idle worker polling Redis); `onStarted` is told the worker (pause/resume, shutdown).
   */
  startWorker(onStarted?: (worker: Worker<DeliveryJob>) => void): void;
  close(): Promise<void>;
}

export async function createWebhooks(deps: {
  redis: Redis;
  prefix: string;
  install: InstallScope;
  logger: Logger;
  timeoutMs: number;
  /** WEBHOOK_ALLOW_HOSTS: the non-public hosts and ranges deliveries may reach. */
  allowHosts: WebhookAllowList;
  backoffBaseMs?: number;
  /** Delivery latency and failures (GET /metrics). */
  metrics?: WorkerDeps['metrics'];
}): Promise<Webhooks> {
  const policy = createAddressPolicy(deps.allowHosts);
  const queue = createWebhookQueue(deps.redis, deps.prefix, deps.install.installId);
  const cache = await createWebhookCache({
    redis: deps.redis,
    prefix: deps.prefix,
    logger: deps.logger,
  });
  let worker: Worker<DeliveryJob> | undefined;
  let closed = false;
  return {
    service: createWebhookService({ queue, cache, policy }),
    queue,
    subscriptions: webhookSubscriptions(
      createWebhookPublisher({ queue, cache, logger: deps.logger }),
    ),
    startWorker(onStarted) {
      const start = () => {
        if (worker || closed || !cache.hasAny()) return;
        worker = createWebhookWorker({
          connection: deps.redis,
          prefix: deps.prefix,
          install: deps.install,
          logger: deps.logger,
          timeoutMs: deps.timeoutMs,
          policy,
          backoffBaseMs: deps.backoffBaseMs,
          metrics: deps.metrics,
        });
        onStarted?.(worker);
      };
      cache.onLoad(start);
      start();
    },
    async close() {
      closed = true;
      await worker?.close();
      await queue.close();
      await cache.close();
    },
  };
}
