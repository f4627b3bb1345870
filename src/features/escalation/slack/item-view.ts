/**
 * The queue item staff see in Slack for one escalated conversation: who the customer is, where
 * they write from, what they wanted, their last messages, linked lead/case, and Claim / Close.
 * Rendered from the stored conversation every time, so posting and updating show the same truth.
 */
import type { EscalationReason } from '../../../kernel/contracts/escalation.js';
import type { Locale } from '../../../kernel/contracts/messages.js';
import { Case } from '../../../kernel/db/models/case.js';
import { Contact, type ContactDoc } from '../../../kernel/db/models/contact.js';
import type { ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { Lead } from '../../../kernel/db/models/lead.js';
import { Message, type MessageDoc } from '../../../kernel/db/models/message.js';
import { slackStaffRef } from '../staff-identity.js';
import { slackEscape, staffTexts } from './staff-texts.js';

export const CLAIM_ACTION = 'charla_claim';
export const CLOSE_ACTION = 'charla_close';
export const LAST_MESSAGES = 6;
const MAX_LINE = 300;

export interface ItemView {
  text: string;
  blocks: Record<string, unknown>[];
}

export function customerLabel(
  contact: Pick<ContactDoc, 'name'> | null,
  conversation: ConversationDoc,
): string {
  return contact?.name?.trim() || conversation.platformUserId;
}

const clip = (s: string) => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE)}…` : s);

function messageLine(m: MessageDoc, who: Record<string, string>, attachment: string): string {
  const text = m.text?.trim() || (m.attachments?.length ? `[${attachment}]` : '');
  const author = m.author === 'staff' && m.staff?.name ? m.staff.name : (who[m.author] ?? m.author);
  return `> *${slackEscape(author)}:* ${slackEscape(clip(text.replace(/\s+/g, ' ')))}`;
}

export async function renderItem(conversation: ConversationDoc, locale: Locale): Promise<ItemView> {
  const t = staffTexts(locale);
  const [contact, recent, lead, kase] = await Promise.all([
    Contact.findById(conversation.contactId).lean<ContactDoc>(),
    Message.find({ conversationId: conversation._id, internal: { $ne: true } })
      .sort({ createdAt: -1, _id: -1 })
      .limit(LAST_MESSAGES)
      .lean<MessageDoc[]>(),
    Lead.findOne({
      $or: [{ conversationId: conversation._id }, { contactId: conversation.contactId }],
    })
      .sort({ createdAt: -1 })
      .lean(),
    Case.findOne({
      $or: [{ conversationId: conversation._id }, { contactId: conversation.contactId }],
    })
      .sort({ createdAt: -1 })
      .lean(),
  ]);

  const id = conversation._id.toHexString();
  const esc = conversation.escalation ?? {};
  const reason =
    t.reasons[(esc.reason as EscalationReason | undefined) ?? 'customer_request'] ??
    esc.reason ??
    '';
  const name = customerLabel(contact, conversation);
  const contactBits = [
    slackEscape(name),
    ...(contact?.emails ?? []).slice(0, 1).map(slackEscape),
    ...(contact?.phones ?? []).slice(0, 1).map(slackEscape),
  ];
  const assigneeName = conversation.assignee?.id
    ? slackStaffRef({ id: conversation.assignee.id, name: conversation.assignee.name })
    : '';
  const header =
    conversation.status === 'queued'
      ? `🙋 ${t.headerQueued}`
      : conversation.status === 'assigned'
        ? `✋ ${t.headerAssigned(assigneeName)}`
        : `✅ ${t.headerClosed}`;

  const fields = [
    `*${t.customer}*\n${contactBits.join(' · ')}`,
    `*${t.channel}*\n${conversation.channel}`,
    `*${t.language}*\n${conversation.locale ?? t.none}`,
    `*${t.reason}*\n${slackEscape(reason)}${esc.afterHours ? `\n_${t.afterHours}_` : ''}${conversation.sentiment?.frustratedAt ? `\n*${t.frustrated}*` : ''}`,
    `*${t.intents}*\n${conversation.intentsSeen?.length ? slackEscape(conversation.intentsSeen.join(', ')) : t.none}`,
    `*${t.lead}* / *${t.case}*\n${lead ? slackEscape(`${lead.email ?? lead.phone ?? lead.name ?? String(lead._id)} (${lead.status})`) : t.none} / ${kase ? slackEscape(`${kase.number} (${kase.status})`) : t.none}`,
  ];
  const lines = recent
    .reverse()
    .map((m) => messageLine(m, t.who, t.attachment))
    .join('\n');

  const queuedAt = esc.queuedAt ? Math.floor(new Date(esc.queuedAt).getTime() / 1000) : undefined;
  const blocks: Record<string, unknown>[] = [
    {
      type: 'section',
      block_id: 'charla_item_header',
      text: { type: 'mrkdwn', text: `*${header}*` },
    },
    {
      type: 'section',
      block_id: 'charla_item_fields',
      fields: fields.map((text) => ({ type: 'mrkdwn', text })),
    },
    {
      type: 'section',
      block_id: 'charla_item_messages',
      text: { type: 'mrkdwn', text: `*${t.lastMessages}*\n${lines || t.noMessages}` },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${t.conversation} \`${id}\`${queuedAt ? ` · <!date^${queuedAt}^{date_short_pretty} {time}|${new Date(queuedAt * 1000).toISOString()}>` : ''}`,
        },
      ],
    },
  ];
  const buttons: Record<string, unknown>[] = [];
  if (conversation.status === 'queued') {
    buttons.push({
      type: 'button',
      action_id: CLAIM_ACTION,
      style: 'primary',
      text: { type: 'plain_text', text: t.claim },
      value: id,
    });
  }
  if (conversation.status === 'queued' || conversation.status === 'assigned') {
    buttons.push({
      type: 'button',
      action_id: CLOSE_ACTION,
      style: 'danger',
      text: { type: 'plain_text', text: t.close },
      value: id,
    });
  }
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: 'charla_item_actions', elements: buttons });

  const statusSuffix =
    conversation.status === 'assigned'
      ? ` — ${t.headerAssigned(assigneeName)}`
      : conversation.status === 'bot'
        ? ` — ${t.headerClosed}`
        : '';
  return {
    text: `${t.fallbackText(slackEscape(name), conversation.channel, reason)}${statusSuffix}`,
    blocks,
  };
}
