/**
 * Slack events a customer sends the app (DMs and mentions) → InboundMessage. Messages from bots,
 * edits, deletions and anything in the staff escalation channel are explicitly ignored.
 */
import type { Attachment, InboundMessage } from '../../src/kernel/contracts/messages.js';
import { placeholderText } from '../../src/kernel/attachments.js';

export type ParsedEvent =
  { kind: 'inbound'; inbound: InboundMessage } | { kind: 'ignored'; reason: string };

/** The fields of a Slack `message` / `app_mention` event that we use. */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  files?: Array<{ id?: string; name?: string; mimetype?: string; url_private?: string }>;
}

/** Subtypes that still carry a customer's words; every other subtype (edits, joins, ...) is ignored. */
const CUSTOMER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

const MENTION = /<@[A-Z0-9]+>/g;

function attachmentsOf(event: SlackMessageEvent): Attachment[] {
  return (event.files ?? []).map((f) => ({
    kind: f.mimetype?.startsWith('image/')
      ? ('image' as const)
      : f.mimetype?.startsWith('audio/')
        ? ('audio' as const)
        : f.mimetype?.startsWith('video/')
          ? ('video' as const)
          : ('file' as const),
    name: f.name,
    mimeType: f.mimetype,
    platformId: f.id,
    url: f.url_private,
  }));
}

export function parseMessageEvent(
  event: SlackMessageEvent,
  opts: { escalationChannel?: string; botUserId?: string },
): ParsedEvent {
  if (event.bot_id || event.subtype === 'bot_message') return { kind: 'ignored', reason: 'bot' };
  if (!CUSTOMER_SUBTYPES.has(event.subtype))
    return { kind: 'ignored', reason: `subtype ${event.subtype}` };
  if (!event.user || !event.channel || !event.ts) return { kind: 'ignored', reason: 'incomplete' };
  if (opts.botUserId && event.user === opts.botUserId) return { kind: 'ignored', reason: 'self' };
  // The staff queue lives in its own channel; its threads belong to escalation, not to customers.
  if (opts.escalationChannel && event.channel === opts.escalationChannel) {
    return { kind: 'ignored', reason: 'escalation channel' };
  }
  const isDm = event.channel_type === 'im';
  if (event.type === 'message' && !isDm) return { kind: 'ignored', reason: 'not a DM' };

  const attachments = attachmentsOf(event);
  const words = (event.text ?? '').replace(MENTION, '').trim();
  const text = attachments.length > 0 ? placeholderText(attachments, words) : words;
  if (!text) return { kind: 'ignored', reason: 'empty' };

  // In a DM the DM is the conversation; a mention in a channel is answered in its thread.
  const threadTs = isDm ? undefined : (event.thread_ts ?? event.ts);
  return {
    kind: 'inbound',
    inbound: {
      channel: 'slack',
      // Slack redelivers the same event with the same channel+ts: that pair is the idempotency key.
      platformMessageId: `${event.channel}:${event.ts}`,
      platformUserId: event.user,
      platformConversationId: threadTs ? `${event.channel}:${threadTs}` : event.channel,
      text,
      attachments: attachments.length > 0 ? attachments : undefined,
      replyContext: threadTs ? { channel: event.channel, threadTs } : { channel: event.channel },
      receivedAt: new Date(Number(event.ts) * 1000),
    },
  };
}
