/**
 * The API's shared vocabulary: the closed sets (channels, statuses, priorities, SLA states) that the
 * models store, the schemas validate and the console shows. It imports nothing, so the models, the
 * SLA clock, every schema file and the console (values, not only types) use these same lists.
 */

export const CHANNEL_IDS = [
  'webchat',
  'whatsapp',
  'whatsapp-web',
  'telegram',
  'twitter',
  'slack',
  'botframework',
  'email',
  /** The bot studio's sandbox chat (src/features/catalogue/sandbox.ts): no adapter, never a customer. */
  'studio',
] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const CONVERSATION_STATUSES = ['bot', 'queued', 'assigned', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const MESSAGE_STATUSES = [
  'received', // inbound, stored and queued
  'processed', // inbound, handled by the engine
  'pending', // outbound, waiting to be delivered
  'sent', // outbound, accepted by the platform
  'failed', // outbound, gave up after retries: visible to admins
] as const;

/**
 * What an inbound message answered, when it answered the bot rather than asking something: a
 * flow's question, a satisfaction rating, a quick-reply button, a clarifying question. Marked on
 * the message by its turn; "what the bot missed" and analytics' unanswered leave them out.
 */
export const ANSWER_KINDS = ['slot', 'rating', 'choice', 'clarification'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

export const CASE_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_TYPES = ['support', 'privacy', 'callback'] as const;
export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** An order's life (src/features/orders/); cancelled and returned orders carry no revenue. */
export const ORDER_STATUSES = ['placed', 'shipped', 'delivered', 'cancelled', 'returned'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** RFM segments of customer value (src/features/value/rfm.ts documents the grid). */
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose_them',
  'hibernating',
  'lost',
] as const;

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'won', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Channels analytics reports: every customer channel, not the studio sandbox (`studio`). */
export const ANALYTICS_CHANNELS = CHANNEL_IDS.filter((c) => c !== 'studio') as Exclude<
  ChannelId,
  'studio'
>[];
export type AnalyticsChannel = (typeof ANALYTICS_CHANNELS)[number];

/** The scalar figures of an analytics summary, each also a time series metric. */
export const ANALYTICS_METRICS = [
  'conversations',
  'messagesIn',
  'messagesOut',
  'containmentRate',
  'fallbackRate',
  'escalationRate',
  'medianQueueWaitSeconds',
  'medianFirstStaffReplySeconds',
  'leads',
  'qualifiedLeads',
  'wonLeads',
  'cases',
  'casesResolved',
  'csatAverage',
  'csatResponses',
] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

/** The events a webhook can subscribe to; `ping` is only sent by the test button. */
export const WEBHOOK_EVENTS = [
  'lead.created',
  'lead.updated',
  'case.created',
  'case.updated',
  'conversation.escalated',
  'campaign.sent',
  'campaign.replied',
  'campaign.converted',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
