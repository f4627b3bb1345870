/**
 * The contacts feature's public module: the customer list and page, marketing consent (it
 * publishes contact.consent_changed), privacy rights (export, erasure) and the retention job.
 */
import type { Queue } from 'bullmq';
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import type { InboundJob } from '../../pipeline/queues/inbound.js';
import { createWebhookQueue } from '../webhooks/index.js';
import { mountConsentRoutes } from './consent-routes.js';
import { mountPrivacyRoutes } from './privacy/routes.js';
import { startRetentionJob, type RetentionJob } from './privacy/retention-job.js';
import { mountContactRoutes } from './routes.js';

export const contactsFeature = defineFeature<
  KernelContext & { queues: { inbound: Queue<InboundJob> } }
>({
  name: 'contacts',
  create(ctx) {
    const prefix = ctx.config.queuePrefix;
    // Erasure drops the person's queued webhook deliveries: a handle on the webhooks' queue.
    const webhookQueue = createWebhookQueue(ctx.redis, prefix, ctx.install.installId);
    let retention: RetentionJob | undefined;
    return {
      mount(server) {
        void server.register(async (scope) => mountConsentRoutes(scope, ctx.bus));
        mountPrivacyRoutes(server, {
          redis: ctx.redis,
          prefix,
          lock: createConversationLock(ctx.redis, prefix),
          inboundQueue: ctx.queues.inbound,
          webhookQueue,
        });
        mountContactRoutes(server, {
          defaultCountry: ctx.config.defaultCountry,
          routes: { redis: ctx.redis, prefix },
        });
      },
      async startWorkers() {
        if (ctx.config.retentionDays === undefined) return;
        retention = await startRetentionJob({
          connection: ctx.redis,
          prefix,
          install: ctx.install,
          days: ctx.config.retentionDays,
          logger: ctx.logger,
        });
      },
      async stop() {
        await retention?.close();
        await webhookQueue.close();
      },
    };
  },
});
