/**
 * The seam between the core and a channel. Adding a channel = one folder in channels/ with a
 * factory returning a ChannelAdapter, registered once in channels/index.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { MailTransport } from './mail.js';
import type { Realtime } from '../realtime.js';
import type { SlackApp } from '../slack/slack-app.js';
import type { ChannelId, InboundMessage, OutboundMessage } from './messages.js';

export interface ChannelCapabilities {
  buttons: boolean;
  media: boolean;
  typing: boolean;
  maxTextLength: number;
}

export interface SendResult {
  platformMessageId?: string;
}

export interface IngestResult {
  messageId: string;
  conversationId: string;
  contactId: string;
  /** True when this platform message was already ingested: nothing new was stored or queued. */
  duplicate: boolean;
}

/**
 * What a platform reported about one of our messages: WhatsApp Cloud API statuses (sent,
 * delivered, read, failed), an email bounce (failed). Telegram and web chat report nothing.
 */
export interface DeliveryReceipt {
  channel: ChannelId;
  /** The platform's id of our message: WhatsApp's wamid; email: the Message-ID, without <>. */
  platformMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Why it failed (a platform error, a DSN's status and diagnostic); no personal data. */
  reason?: string;
  at: Date;
}

/** Where adapters hand inbound messages; resolves only once the message is durably stored and queued. */
export interface InboundSink {
  ingest(message: InboundMessage): Promise<IngestResult>;
  /** A delivery receipt for one of our messages (published on the bus as `message.receipt`). */
  receipt?(receipt: DeliveryReceipt): Promise<void>;
}

/**
 * When staff may write to a customer who has not just written (issue 19.3: take a conversation
 * over from the bot, reply from a case, start a conversation). An adapter without one does not
 * allow it (staff answer only inside an escalation the customer started).
 */
export interface OutreachRule {
  /**
   * Staff may write only this many hours after the customer's last message (WhatsApp's
   * customer-service window: 24); absent = whenever the platform conversation is known.
   */
  windowHours?: number;
  /** Whether the platform conversation can still be reached (web chat: its session exists). */
  reachable?(platformConversationId: string): Promise<boolean>;
}

/** What the back office knows of a channel's outreach: off (not configured) or its rule. */
export type ChannelOutreach = { configured: false } | { configured: true; rule?: OutreachRule };

/**
 * Why staff may not answer a customer on this conversation's channel now (null: they may) — the
 * console reply's check, from the same rules as outreach (WhatsApp's window, a web chat session
 * gone, a channel not connected), so a reply is refused with the reason before it is stored
 * rather than failing at delivery.
 */
export type ReplyCheck = (conversation: {
  channel: ChannelId;
  platformConversationId: string;
  lastMessageAt?: Date | null;
}) => Promise<{ code: string; message: string } | null>;

/** A message template as the platform approved it (WhatsApp: outside the 24 h window). */
export interface MessageTemplate {
  name: string;
  /** The platform's language code, e.g. `es`, `en_US`. */
  language: string;
  /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED… (only APPROVED ones can be sent). */
  status: string;
  category?: string;
  /** The body text with its placeholders `{{1}}`, `{{2}}`… */
  body: string;
  /** How many body placeholders it has. */
  variables: number;
}

/** Templates of a channel that has them: the platform's list, and a send of one. */
export interface TemplateSender {
  list(): Promise<MessageTemplate[]>;
  /** Sends template `name` in `language` with the body's values in order. */
  send(
    to: string,
    template: { name: string; language: string; variables: string[] },
  ): Promise<SendResult>;
}

export interface ChannelAdapter {
  readonly id: ChannelId;
  /** Approved message templates (WhatsApp Cloud API with WHATSAPP_WABA_ID). */
  readonly templates?: TemplateSender;
  readonly capabilities: ChannelCapabilities;
  /** Whether, and when, staff may write first (absent: never). */
  readonly outreach?: OutreachRule;
  /** Mounts the adapter's webhook routes. Signature checks happen here, before ingest. */
  mount(server: FastifyInstance): void | Promise<void>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Delivers one message. Throws ChannelSendError to steer retries. */
  send(message: OutboundMessage): Promise<SendResult>;
}

export interface AdapterDeps {
  config: Config;
  sink: InboundSink;
  logger: Logger;
  /** Conversation events across instances (web chat pushes through it). */
  realtime: Realtime;
  /** The shared Bolt app when Slack is configured: the Slack channel registers listeners on it. */
  slack?: SlackApp;
  /** The mail transport (SMTP_URL), when configured: the email channel sends through it. */
  mail?: MailTransport;
}

/** Returns the adapter, or undefined when its configuration is absent (the adapter is off). */
export type AdapterFactory = (deps: AdapterDeps) => ChannelAdapter | undefined;

/**
 * A failed send. `retryable` with `retryAfterMs` honours platform rate limits (Telegram
 * retry_after, X reset headers, Slack Retry-After); a non-retryable error marks the Message failed.
 */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly options: { retryable: boolean; retryAfterMs?: number; status?: number },
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
  get retryable(): boolean {
    return this.options.retryable;
  }
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}
