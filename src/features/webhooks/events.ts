/**
 * How Charla announces CRM events to webhooks: the publisher (`createWebhookPublisher`)
 * queues one delivery per active webhook subscribed to `type` — nothing, and no database read,
 * when none is (the subscriber list is cached: src/features/webhooks/cache.ts). Ids are derived from
 * (event, record id, record version), so a replayed engine turn or a repeated call queues
 * nothing new (BullMQ job id = delivery id) and sends nothing twice (a delivered record is
 * skipped by the worker).
 *
 * The webhooks feature subscribes it to the event bus (`webhookSubscriptions`, src/kernel/events.ts):
 * whoever creates or changes a lead or a case publishes there and never calls this module. A
 * failure to queue is logged, never thrown: the change that caused the event has already been made.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { CampaignRecipientEvent, EventSubscriptions } from '../../kernel/events.js';
import type { Logger } from '../../kernel/logger.js';
import type { CaseDoc } from '../../kernel/db/models/case.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { LeadDoc } from '../../kernel/db/models/lead.js';
import type { WebhookCache } from './cache.js';
import type { DeliveredEvent, WebhookEvent } from './models.js';
import type { DeliveryJob, WebhookQueue } from './queue.js';

export interface EventRecord {
  /** The record the event is about (lead, case or conversation id). */
  id: string;
  /** What makes this event distinct for that record: its updatedAt, or the escalation time. */
  version: string;
  data: Record<string, unknown>;
}

export interface WebhookPublisherDeps {
  queue: WebhookQueue;
  cache: WebhookCache;
  logger: Logger;
}

export type PublishWebhookEvent = (type: WebhookEvent, record: EventRecord) => Promise<void>;

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** The job of one delivery of an event to one webhook; its id is the delivery id. */
export function deliveryJob(
  webhookId: string,
  event: DeliveredEvent,
  eventKey: string,
  data: Record<string, unknown>,
  at = new Date(),
): DeliveryJob {
  return {
    webhookId,
    deliveryId: `dlv_${hash(`${webhookId}|${eventKey}`)}`,
    eventId: `evt_${hash(eventKey)}`,
    event,
    createdAt: at.toISOString(),
    data,
  };
}

/** Queues one delivery of an event per subscribed webhook. */
export const createWebhookPublisher =
  (p: WebhookPublisherDeps): PublishWebhookEvent =>
  async (type, record) => {
    try {
      const hooks = await p.cache.subscribers(type);
      if (hooks.length === 0) return;
      const key = `${type}|${record.id}|${record.version}`;
      const at = new Date();
      await p.queue.addBulk(
        hooks.map((webhookId) => {
          const job = deliveryJob(webhookId, type, key, record.data, at);
          return { name: type, data: job, opts: { jobId: job.deliveryId } };
        }),
      );
    } catch (err) {
      p.logger.error({ err, event: type, recordId: record.id }, 'webhook event not queued');
    }
  };

/** A ping from the console's test button: always a new delivery. */
export function pingJob(webhookId: string): DeliveryJob {
  return deliveryJob(webhookId, 'ping', `ping|${randomUUID()}`, {
    webhookId,
    message: 'Charla webhook test',
  });
}

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
const hex = (v: unknown) => (v ? String(v) : null);
const versionOf = (doc: { updatedAt?: unknown; createdAt?: unknown }) =>
  iso(doc.updatedAt) ?? iso(doc.createdAt) ?? 'initial';

/** A lead as webhooks see it: its own fields (staff notes left out), nothing joined in. */
export function leadEventData(lead: LeadDoc): Record<string, unknown> {
  return {
    id: lead._id.toHexString(),
    status: lead.status ?? 'new',
    name: lead.name ?? null,
    email: lead.email ?? null,
    phone: lead.phone ?? null,
    company: lead.company ?? null,
    interest: lead.interest ?? null,
    score: lead.score ?? 0,
    channel: lead.channel,
    tags: lead.tags ?? [],
    owner: hex(lead.owner),
    contactId: hex(lead.contactId),
    conversationId: hex(lead.conversationId),
    createdAt: iso(lead.createdAt),
    updatedAt: iso(lead.updatedAt),
  };
}

export function caseEventData(doc: CaseDoc): Record<string, unknown> {
  return {
    id: doc._id.toHexString(),
    number: doc.number,
    type: doc.type ?? 'support',
    status: doc.status ?? 'open',
    priority: doc.priority ?? 'normal',
    subject: doc.subject ?? null,
    description: doc.description ?? null,
    email: doc.email ?? null,
    phone: doc.phone ?? null,
    preferredTime: doc.preferredTime ?? null,
    channel: doc.channel ?? null,
    contactId: hex(doc.contactId),
    conversationId: hex(doc.conversationId),
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
}

export const leadEvent = (type: 'lead.created' | 'lead.updated', lead: LeadDoc): EventRecord => ({
  id: lead._id.toHexString(),
  version: type === 'lead.created' ? 'created' : versionOf(lead),
  data: leadEventData(lead),
});

/**
 * Case events. Whoever changes a case's status or priority (PATCH /api/cases/:id) publishes
 * `case.updated` on the bus with the case as stored after the change.
 */
export const caseEvent = (type: 'case.created' | 'case.updated', doc: CaseDoc): EventRecord => ({
  id: doc._id.toHexString(),
  version: type === 'case.created' ? 'created' : versionOf(doc),
  data: caseEventData(doc),
});

/** `conversation.escalated`: who, where and why; no message text. */
export function escalatedEvent(c: ConversationDoc, at: Date): EventRecord {
  return {
    id: c._id.toHexString(),
    version: at.toISOString(),
    data: {
      id: c._id.toHexString(),
      channel: c.channel,
      contactId: hex(c.contactId),
      locale: c.locale ?? null,
      reason: c.escalation?.reason ?? null,
      afterHours: c.escalation?.afterHours ?? false,
      queuedAt: at.toISOString(),
    },
  };
}

/** `campaign.sent|replied|converted`: which campaign, recipient and contact; no message text. */
export function campaignEvent(e: CampaignRecipientEvent): EventRecord {
  const id = e.recipientId.toHexString();
  return {
    id,
    version: e.step,
    data: {
      campaignId: e.campaignId.toHexString(),
      recipientId: id,
      contactId: e.contactId.toHexString(),
      channel: e.channel,
      variant: e.variant,
      at: e.at.toISOString(),
    },
  };
}

const ANNOUNCED_CAMPAIGN_STEPS = {
  sent: 'campaign.sent',
  replied: 'campaign.replied',
  converted: 'campaign.converted',
} as const;

/** What webhooks hear on the event bus: every CRM event, turned into deliveries. */
export function webhookSubscriptions(publish: PublishWebhookEvent): EventSubscriptions {
  return {
    'lead.created': ({ lead }) => publish('lead.created', leadEvent('lead.created', lead)),
    'lead.updated': ({ lead }) => publish('lead.updated', leadEvent('lead.updated', lead)),
    'case.created': (e) => publish('case.created', caseEvent('case.created', e.case)),
    'case.updated': (e) => publish('case.updated', caseEvent('case.updated', e.case)),
    'conversation.escalated': ({ conversation, at }) =>
      publish('conversation.escalated', escalatedEvent(conversation, at)),
    'campaign.recipient': async (e) => {
      const type = ANNOUNCED_CAMPAIGN_STEPS[e.step as keyof typeof ANNOUNCED_CAMPAIGN_STEPS];
      if (type) await publish(type, campaignEvent(e));
    },
  };
}
