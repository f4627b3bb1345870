/**
 * What admins do with webhooks (src/features/webhooks/routes.ts is its HTTP face): register, change,
 * delete, list deliveries, send a test ping, retry a failed delivery. Each change is audited
 * without the secret and tells every instance's subscriber cache (src/features/webhooks/cache.ts).
 */
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor } from '../../kernel/roles.js';
import { conflict, notFound } from '../../kernel/errors.js';
import type { AddressPolicy } from './address-policy.js';
import type { WebhookCache } from './cache.js';
import { pingJob } from './events.js';
import {
  Webhook,
  WebhookDelivery,
  type DeliveryDoc,
  type DeliveryStatus,
  type WebhookDoc,
  type WebhookEvent,
} from './models.js';
import type { WebhookQueue } from './queue.js';
import { newSecret } from './signing.js';
import type {
  DeliveryListQuery,
  DeliveryView,
  WebhookChanges,
  WebhookInput,
  WebhookView,
} from './schemas.js';

export function webhookView(
  h: WebhookDoc,
  lastDelivery: WebhookView['lastDelivery'] = null,
): WebhookView {
  return {
    id: h._id.toHexString(),
    url: h.url,
    events: h.events as WebhookEvent[],
    active: h.active ?? true,
    description: h.description ?? '',
    createdAt: (h as { createdAt?: Date }).createdAt?.toISOString() ?? null,
    updatedAt: (h as { updatedAt?: Date }).updatedAt?.toISOString() ?? null,
    lastDelivery,
  };
}

export function deliveryView(d: DeliveryDoc): DeliveryView {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);
  return {
    id: d._id,
    webhookId: String(d.webhookId),
    event: d.event,
    eventId: d.eventId,
    status: d.status as DeliveryStatus,
    attempts: d.attempts ?? 0,
    lastStatusCode: d.lastStatusCode ?? null,
    lastError: d.lastError ?? null,
    createdAt: iso((d as { createdAt?: Date }).createdAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    deliveredAt: iso(d.deliveredAt),
  };
}

/** What the audit log may show of a webhook (never the secret). */
const audited = (h: Partial<WebhookDoc>) => ({
  url: h.url,
  events: h.events,
  active: h.active,
  description: h.description,
});

export function createWebhookService(deps: {
  queue: WebhookQueue;
  cache: WebhookCache;
  policy: AddressPolicy;
}) {
  async function find(id: string): Promise<WebhookDoc> {
    const hook = Types.ObjectId.isValid(id) ? await Webhook.findById(id).lean<WebhookDoc>() : null;
    if (!hook) throw notFound('The webhook');
    return hook;
  }
  const audit = (actor: Actor, action: string, id: string, extra: Record<string, unknown>) =>
    recordAudit({ actor, action, targetType: 'Webhook', targetId: id, ...extra });

  return {
    async list() {
      const hooks = await Webhook.find().sort({ createdAt: 1, _id: 1 }).lean<WebhookDoc[]>();
      const last = await Promise.all(
        hooks.map((h) =>
          WebhookDelivery.findOne({ webhookId: h._id }, { status: 1, createdAt: 1 })
            .sort({ createdAt: -1 })
            .lean<DeliveryDoc>(),
        ),
      );
      return hooks.map((h, i) => {
        const d = last[i];
        const at = (d as { createdAt?: Date } | null)?.createdAt;
        return webhookView(
          h,
          d && at ? { status: d.status as DeliveryStatus, at: at.toISOString() } : null,
        );
      });
    },

    async create(actor: Actor, input: WebhookInput) {
      await deps.policy.checkUrl(input.url);
      const secret = newSecret();
      const doc = await Webhook.create({ ...input, events: [...new Set(input.events)], secret });
      const hook = doc.toObject() as WebhookDoc;
      await audit(actor, 'webhook.create', hook._id.toHexString(), { after: audited(hook) });
      await deps.cache.changed();
      return { ...webhookView(hook), secret };
    },

    async update(actor: Actor, id: string, changes: WebhookChanges) {
      const before = await find(id);
      const { rotateSecret, ...fields } = changes;
      if (fields.url !== undefined) await deps.policy.checkUrl(fields.url);
      const set: Record<string, unknown> = Object.fromEntries(
        Object.entries(fields).filter(([, v]) => v !== undefined),
      );
      if (set.events) set.events = [...new Set(set.events as string[])];
      const secret = rotateSecret ? newSecret() : undefined;
      if (secret) set.secret = secret;
      const after = await Webhook.findOneAndUpdate(
        { _id: before._id },
        { $set: set },
        {
          returnDocument: 'after',
        },
      ).lean<WebhookDoc>();
      if (!after) throw notFound('The webhook');
      await audit(actor, 'webhook.update', id, {
        before: audited(before),
        after: audited(after),
        details: rotateSecret ? { secretRotated: true } : undefined,
      });
      await deps.cache.changed();
      return { ...webhookView(after), ...(secret ? { secret } : {}) };
    },

    async remove(actor: Actor, id: string) {
      const hook = await find(id);
      await Webhook.deleteOne({ _id: hook._id });
      await WebhookDelivery.deleteMany({ webhookId: hook._id });
      await audit(actor, 'webhook.delete', id, { before: audited(hook) });
      await deps.cache.changed();
    },

    async deliveries(id: string, q: DeliveryListQuery) {
      const hook = await find(id);
      const filter = { webhookId: hook._id, ...(q.status ? { status: q.status } : {}) };
      const [items, total] = await Promise.all([
        WebhookDelivery.find(filter)
          .sort({ createdAt: -1, _id: -1 })
          .skip(q.offset)
          .limit(q.limit)
          .lean<DeliveryDoc[]>(),
        WebhookDelivery.countDocuments(filter),
      ]);
      return { items: items.map(deliveryView), total };
    },

    async test(actor: Actor, id: string) {
      const hook = await find(id);
      const job = pingJob(hook._id.toHexString());
      await deps.queue.add('ping', job, { jobId: job.deliveryId });
      await audit(actor, 'webhook.test', id, { details: { deliveryId: job.deliveryId } });
      return { deliveryId: job.deliveryId };
    },

    async retry(actor: Actor, deliveryId: string) {
      const delivery = await WebhookDelivery.findById(deliveryId).lean<DeliveryDoc>();
      if (!delivery) throw notFound('The delivery');
      if (delivery.status !== 'failed') {
        throw conflict('not_failed', 'Only a failed delivery can be retried.');
      }
      const job = await deps.queue.getJob(deliveryId);
      if (!job || !(await job.isFailed())) {
        throw conflict('payload_expired', 'This delivery can no longer be sent again.');
      }
      await WebhookDelivery.updateOne({ _id: deliveryId }, { $set: { status: 'pending' } });
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      await audit(actor, 'webhook.retry', String(delivery.webhookId), { details: { deliveryId } });
      return deliveryView({ ...delivery, status: 'pending' });
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
