/**
 * Bot Framework activities ↔ Charla messages: an incoming message activity becomes an
 * InboundMessage (with the conversation reference kept in replyContext), and an OutboundMessage
 * becomes a message activity with suggested actions for quick replies.
 */
import { createHash } from 'node:crypto';
import {
  ActionTypes,
  MessageFactory,
  TurnContext,
  type Activity,
  type CardAction,
  type ConversationReference,
} from 'botbuilder';
import { z } from 'zod';
import { ChannelSendError } from '../../src/kernel/contracts/channel-adapter.js';
import type {
  Attachment,
  InboundMessage,
  Locale,
  OutboundMessage,
} from '../../src/kernel/contracts/messages.js';
import { placeholderText } from '../../src/kernel/attachments.js';

/** The fields Charla relies on; the rest of the activity passes through untouched. */
export const activitySchema = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    serviceUrl: z.string().optional(),
    channelId: z.string().optional(),
    text: z.string().optional(),
    locale: z.string().optional(),
    from: z.object({ id: z.string(), name: z.string().optional() }).passthrough().optional(),
    recipient: z.object({ id: z.string(), name: z.string().optional() }).passthrough().optional(),
    conversation: z
      .object({
        id: z.string(),
        tenantId: z.string().optional(),
        conversationType: z.string().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** Attachment content types that are cards or text mirrors (Teams), not customer media. */
const NOT_MEDIA = /^(text\/|application\/vnd\.microsoft\.card\.)/i;

function attachmentKind(contentType: string): Attachment['kind'] {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  return 'file';
}

function attachmentsOf(activity: Activity): Attachment[] {
  const out: Attachment[] = [];
  for (const a of activity.attachments ?? []) {
    if (!a.contentType || NOT_MEDIA.test(a.contentType)) continue;
    out.push({
      kind: attachmentKind(a.contentType),
      url: a.contentUrl,
      mimeType: a.contentType,
      name: a.name,
    });
  }
  for (const e of activity.entities ?? []) {
    const geo = e as { type?: string; latitude?: unknown; longitude?: unknown; name?: unknown };
    if (
      geo.type === 'GeoCoordinates' &&
      typeof geo.latitude === 'number' &&
      typeof geo.longitude === 'number'
    ) {
      out.push({
        kind: 'location',
        latitude: geo.latitude,
        longitude: geo.longitude,
        name: typeof geo.name === 'string' ? geo.name : undefined,
      });
    }
  }
  return out;
}

export function toLocale(tag: string | undefined): Locale | undefined {
  const lang = tag?.slice(0, 2).toLowerCase();
  return lang === 'es' || lang === 'en' ? lang : undefined;
}

/**
 * The InboundMessage for a message activity, or undefined when it carries nothing to store.
 * `rawBody` identifies activities that come without an id (idempotency still holds).
 */
export function toInbound(activity: Activity, rawBody: string): InboundMessage | undefined {
  // Teams and group chats prefix "@Bot": the mention is addressing, not content.
  const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
  const value = typeof activity.value === 'string' ? activity.value.trim() : '';
  const attachments = attachmentsOf(activity);
  const body = text || value || (attachments.length > 0 ? placeholderText(attachments) : '');
  if (!body || !activity.from?.id || !activity.conversation?.id || !activity.serviceUrl)
    return undefined;

  const conversationId = activity.conversation.id;
  const localId = activity.id ?? createHash('sha256').update(rawBody).digest('hex').slice(0, 32);
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  const tenantId = activity.conversation.tenantId ?? channelData?.tenant?.id;
  const replyContext: Record<string, string> = {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    conversationId,
    botId: activity.recipient?.id ?? '',
  };
  if (activity.recipient?.name) replyContext.botName = activity.recipient.name;
  if (tenantId) replyContext.tenantId = tenantId;
  if (activity.conversation.conversationType) {
    replyContext.conversationType = activity.conversation.conversationType;
  }
  if (activity.locale) replyContext.locale = activity.locale;

  return {
    channel: 'botframework',
    // Activity ids are unique within a conversation only.
    platformMessageId: `${conversationId}:${localId}`,
    platformUserId: activity.from.id,
    platformConversationId: conversationId,
    text: text && attachments.length > 0 ? `${placeholderText(attachments)} ${text}` : body,
    attachments: attachments.length > 0 ? attachments : undefined,
    senderName: activity.from.name,
    locale: toLocale(activity.locale),
    replyContext,
    receivedAt: activity.timestamp ? new Date(activity.timestamp) : undefined,
  };
}

/** The reference `continueConversationAsync` needs to reach the conversation proactively. */
export function conversationReference(msg: OutboundMessage): Partial<ConversationReference> {
  const ctx = msg.replyContext ?? {};
  if (!ctx.serviceUrl || !ctx.channelId) {
    // Nothing to retry: without a serviceUrl this conversation cannot be reached.
    throw new ChannelSendError('botframework reply context lacks serviceUrl/channelId', {
      retryable: false,
    });
  }
  return {
    serviceUrl: ctx.serviceUrl,
    channelId: ctx.channelId,
    locale: ctx.locale,
    bot: { id: ctx.botId ?? '', name: ctx.botName ?? '' },
    user: { id: msg.platformUserId, name: '' },
    conversation: {
      id: ctx.conversationId ?? msg.platformConversationId,
      tenantId: ctx.tenantId,
      conversationType: ctx.conversationType ?? 'personal',
      isGroup: false,
      name: '',
    },
  };
}

/**
 * A message activity; quick replies become suggested actions (imBack: the payload comes back as
 * text). Sent as `textFormat: plain`: Teams and Web Chat render markdown by default, and a reply
 * can repeat what a customer typed (`[Verify](https://evil.example)`, `**…**`), which must show as
 * typed. Charla's own texts are plain.
 */
export function toActivity(msg: OutboundMessage): Partial<Activity> {
  const replies = msg.quickReplies ?? [];
  if (replies.length === 0) return { ...MessageFactory.text(msg.text), textFormat: 'plain' };
  const actions: CardAction[] = replies.map((q) => ({
    type: ActionTypes.ImBack,
    title: q.title,
    value: q.payload,
  }));
  return { ...MessageFactory.suggestedActions(actions, msg.text), textFormat: 'plain' };
}
