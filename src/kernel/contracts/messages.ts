/**
 * The channel-neutral language every layer speaks. Adapters turn platform payloads into
 * InboundMessage and deliver OutboundMessage; nothing platform-specific travels beyond `raw`
 * (kept for audit) and `replyContext` (opaque data an adapter needs to answer, e.g. a serviceUrl).
 */

export { CHANNEL_IDS, type ChannelId } from '../vocabulary.js';
import type { ChannelId, Locale } from '../vocabulary.js';
export type { Locale };

export type AttachmentKind =
  'image' | 'audio' | 'video' | 'file' | 'sticker' | 'location' | 'contact';

/** Media, locations and shared contacts, stored on the Message beside a readable placeholder text. */
export interface Attachment {
  kind: AttachmentKind;
  url?: string;
  mimeType?: string;
  name?: string;
  /** The platform's own media id, to fetch the bytes later if needed. */
  platformId?: string;
  latitude?: number;
  longitude?: number;
  contactName?: string;
  contactPhone?: string;
}

/** A button offered to the customer; `payload` is sent back as the message text when pressed. */
export interface QuickReply {
  title: string;
  payload: string;
}

/** The flow slot a bot message asks for, e.g. {flow: 'lead_capture', slot: 'email'}. */
export interface Awaiting {
  flow: string;
  slot: string;
}

export interface InboundMessage {
  channel: ChannelId;
  /** Unique per channel; the idempotency key of ingest (a redelivery carries the same id). */
  platformMessageId: string;
  /** The sender's identity on the platform (chat id, wa_id, Slack user id, ...). */
  platformUserId: string;
  /** Where replies go on the platform (chat id, DM conversation id, ...). */
  platformConversationId: string;
  text: string;
  attachments?: Attachment[];
  senderName?: string;
  /** Locale hint from the platform or the widget; the NLU still detects per message. */
  locale?: Locale;
  /** Phone number the platform vouches for (WhatsApp), in any format; normalised to E.164. */
  senderPhone?: string;
  /**
   * Email address the channel vouches for (the email channel, when SPF/DKIM/DMARC did not fail):
   * a new identity joins the contact that already has this email.
   */
  senderEmail?: string;
  replyContext?: Record<string, string>;
  receivedAt?: Date;
  raw?: unknown;
}

export interface OutboundMessage {
  /** Message document id; stable across retries, so adapters can make sends idempotent. */
  id: string;
  channel: ChannelId;
  conversationId: string;
  platformUserId: string;
  platformConversationId: string;
  text: string;
  quickReplies?: QuickReply[];
  awaiting?: Awaiting;
  replyContext?: Record<string, string>;
  /** The conversation's language, for adapter-made labels (e.g. a WhatsApp list button). */
  locale?: Locale;
  /** The stored message's author, time and staff-only flag, when the sender had the document. */
  author?: 'bot' | 'staff' | 'system';
  createdAt?: Date;
  internal?: boolean;
}
