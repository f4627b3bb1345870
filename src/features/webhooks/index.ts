/**
 * The webhooks feature's public module: CRM events out to the URLs staff register. It hears
 * lead.*, case.* and conversation.escalated on the event bus and queues one delivery per
 * subscribed webhook (delivery id = BullMQ job id, so a replay queues nothing new).
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { mountWebhookRoutes } from './routes.js';
import { createWebhooks, type Webhooks } from './setup.js';

export type { Webhooks } from './setup.js';
/** Another handle on the delivery queue (erasure removes a person's deliveries). */
export { createWebhookQueue, type WebhookQueue } from './queue.js';

export const webhooksFeature = defineFeature<
  KernelContext & { options: { webhookBackoffMs?: number } },
  Webhooks
>({
  name: 'webhooks',
  async create(ctx) {
    // Before anything can publish an event: the subscriber cache is loaded here.
    const webhooks = await createWebhooks({
      redis: ctx.redis,
      prefix: ctx.config.queuePrefix,
      install: ctx.install,
      logger: ctx.logger,
      timeoutMs: ctx.config.webhookTimeoutMs,
      allowHosts: ctx.config.webhookAllowHosts,
      backoffBaseMs: ctx.options.webhookBackoffMs,
      metrics: ctx.metrics,
    });
    return {
      api: webhooks,
      subscriptions: webhooks.subscriptions,
      mount: (server) => mountWebhookRoutes(server, webhooks.service),
      // Started once a webhook exists (no idle worker polling Redis).
      startWorkers: (workers) => webhooks.startWorker(workers),
      stop: () => webhooks.close(),
    };
  },
});
