/**
 * The one in-process event bus. The customer path and the features say what happened
 * (`bus.publish('lead.created', { lead })`); the features that care subscribe (webhooks announce
 * it, scoring rescores). Stores only return what changed: they never call up into a feature.
 *
 * `publish` runs the subscribers one after the other and resolves when all have finished, so a
 * caller that awaits it knows the work is done (a webhook delivery queued before the turn commits:
 * a replayed turn publishes again and the delivery id turns it into a no-op). A subscriber that
 * throws is logged, never rethrown: the change that caused the event has already been made.
 *
 * Not the console's live events (src/kernel/console-events.ts: Redis pub/sub across instances);
 * this bus stays inside one process.
 */
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { DeliveryReceipt } from './contracts/channel-adapter.js';
import type { CaseDoc } from './db/models/case.js';
import type { ConversationDoc } from './db/models/conversation.js';
import type { LeadDoc } from './db/models/lead.js';
import type { MessageDoc } from './db/models/message.js';

/** Every event, by name, with what it carries. */
export interface CharlaEvents {
  /** A lead was captured (also on a replay of the turn that created it). */
  'lead.created': { lead: LeadDoc };
  /** A field of a lead really changed (a flow, PATCH /api/leads/:id, a bulk edit). */
  'lead.updated': { lead: LeadDoc };
  /** A case was opened (also on a replay of the turn that opened it). */
  'case.created': { case: CaseDoc };
  /** A case's status, priority or assignee changed (PATCH /api/cases/:id). */
  'case.updated': { case: CaseDoc };
  /** A conversation went to the human queue. */
  'conversation.escalated': { conversation: ConversationDoc; at: Date };
  /** The engine finished a customer's turn (its replies are about to be delivered). */
  'conversation.turn': {
    conversation?: ConversationDoc;
    messageId: Types.ObjectId;
    /** The customer's message as the turn read it (subscribers need not read it again). */
    text?: string;
    at?: Date;
  };
  /** A contact's marketing consent changed (its leads carry a copy already). */
  'contact.consent_changed': { contactId: Types.ObjectId; granted: boolean };
  /** Orders were added or changed (POST /api/orders): customer value is due a refit. */
  'orders.changed': { created: number; updated: number };
  /** A campaign recipient reached a step (src/features/campaigns); webhooks announce some. */
  'campaign.recipient': CampaignRecipientEvent;
  /** A platform reported on one of our messages (src/kernel/contracts/channel-adapter.ts). */
  'message.receipt': DeliveryReceipt;
  /** A reply reached its final outcome (sent, or failed for good). */
  'message.settled': { message: MessageDoc; outcome: 'sent' | 'failed' };
}

export interface CampaignRecipientEvent {
  step: 'sent' | 'delivered' | 'read' | 'replied' | 'converted' | 'clicked' | 'unsubscribed';
  campaignId: Types.ObjectId;
  recipientId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: string;
  variant: string;
  at: Date;
}

export type EventName = keyof CharlaEvents;
export type EventHandler<K extends EventName> = (payload: CharlaEvents[K]) => Promise<void> | void;

/** What a publisher needs (services, the pipeline's record actions). */
export interface EventPublisher {
  publish<K extends EventName>(type: K, payload: CharlaEvents[K]): Promise<void>;
}

export interface EventBus extends EventPublisher {
  /** Adds a subscriber; returns the function that removes it. */
  subscribe<K extends EventName>(type: K, handler: EventHandler<K>): () => void;
}

/** A subscriber list per event: what a feature hands the composition root. */
export type EventSubscriptions = { [K in EventName]?: EventHandler<K> };

/** A publisher that tells nobody (a sandbox, a script). */
export const NO_EVENTS: EventPublisher = { publish: async () => undefined };

export function createEventBus(logger?: Pick<Logger, 'error'>): EventBus {
  const handlers = new Map<EventName, Array<EventHandler<never>>>();
  return {
    subscribe(type, handler) {
      const list = handlers.get(type) ?? [];
      list.push(handler as EventHandler<never>);
      handlers.set(type, list);
      return () => {
        const at = list.indexOf(handler as EventHandler<never>);
        if (at >= 0) list.splice(at, 1);
      };
    },
    async publish(type, payload) {
      for (const handler of [...(handlers.get(type) ?? [])]) {
        try {
          await (handler as EventHandler<typeof type>)(payload);
        } catch (err) {
          logger?.error({ err, event: type }, 'event subscriber failed');
        }
      }
    },
  };
}

/** Subscribes every handler of `subscriptions`; returns the function that removes them all. */
export function subscribeAll(bus: EventBus, subscriptions: EventSubscriptions): () => void {
  const offs = (Object.keys(subscriptions) as EventName[]).map((type) =>
    bus.subscribe(type, subscriptions[type] as EventHandler<typeof type>),
  );
  return () => offs.forEach((off) => off());
}
