/**
 * GET /api/conversations/:id: what the console's conversation page needs — the transcript (with
 * each inbound message's NLU reading and staff notes), flow state, escalation timeline and a
 * summary of the contact.
 */
import type { Types } from 'mongoose';
import { findContact } from '../../kernel/db/contacts.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { listConversationMessages } from '../../kernel/db/messages.js';
import type { ContactDoc } from '../../kernel/db/models/contact.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import type { ContactCard, ConversationDetail, MessageView } from './schemas.js';
import { customerName, staffNames } from './names.js';
import { iso, toConversationSummary } from './summary.js';

type StoredFlow = ConversationDoc['flow'];

export type { ContactCard, ConversationDetail, MessageView };

export function toMessageView(m: MessageDoc): MessageView {
  return {
    id: m._id.toHexString(),
    conversationId: m.conversationId.toHexString(),
    channel: m.channel,
    direction: m.direction,
    author: m.author,
    text: m.text ?? '',
    status: m.status,
    createdAt: new Date(m.createdAt).toISOString(),
    ...(m.error ? { error: m.error } : {}),
    ...(m.internal ? { internal: true as const } : {}),
    ...(m.staff?.id ? { staff: { id: m.staff.id, name: m.staff.name ?? null } } : {}),
    ...(m.nlu
      ? {
          nlu: {
            intent: m.nlu.intent ?? null,
            confidence: m.nlu.confidence ?? 0,
            language: m.nlu.language ?? null,
          },
        }
      : {}),
    ...(typeof m.sentiment === 'number' ? { sentiment: m.sentiment } : {}),
    ...(m.quickReplies?.length
      ? {
          quickReplies: m.quickReplies.map((q) => ({
            title: q.title ?? '',
            payload: q.payload ?? '',
          })),
        }
      : {}),
    ...(m.awaiting?.flow
      ? { awaiting: { flow: m.awaiting.flow, slot: m.awaiting.slot ?? '' } }
      : {}),
    ...(m.attachments?.length
      ? {
          attachments: m.attachments.map((a) => ({
            kind: a.kind,
            ...(a.url ? { url: a.url } : {}),
            ...(a.mimeType ? { mimeType: a.mimeType } : {}),
            ...(a.name ? { name: a.name } : {}),
          })),
        }
      : {}),
  };
}

export function toContactCard(contact: ContactDoc | null, fallbackId: Types.ObjectId): ContactCard {
  return {
    id: (contact?._id ?? fallbackId).toHexString(),
    name: contact?.name?.trim() || null,
    emails: contact?.emails ?? [],
    phones: contact?.phones ?? [],
    channels: [...new Set((contact?.identities ?? []).map((i) => i.channel))],
    tags: contact?.tags ?? [],
    locale: (contact?.locale as 'es' | 'en' | undefined) ?? null,
  };
}

function flowView(flow: StoredFlow): ConversationDetail['flow'] {
  if (!flow?.name) return null;
  return {
    name: flow.name,
    slot: flow.slot ?? null,
    slots: (flow.slots as Record<string, unknown> | undefined) ?? {},
    attempts: flow.attempts ?? 0,
    startedAt: iso(flow.startedAt),
  };
}

export async function conversationDetail(id: string): Promise<ConversationDetail | null> {
  const c = /^[0-9a-f]{24}$/i.test(id) ? await findConversation(id) : null;
  if (!c) return null;
  const [contact, messages] = await Promise.all([
    findContact(c.contactId),
    listConversationMessages(c._id, { includeInternal: true }),
  ]);
  const history = c.statusHistory ?? [];
  const [name, staff] = await Promise.all([
    customerName(contact),
    staffNames(
      history.map((h) => h.by ?? ''),
      [c.assignee, ...messages.map((m) => m.staff)],
    ),
  ]);
  const summary = toConversationSummary(c, { name });
  const esc = c.escalation;
  return {
    ...summary,
    // On the page: the latest message of the transcript, whoever wrote it (lists: the customer's).
    lastMessageAt: iso(messages.at(-1)?.createdAt) ?? summary.lastMessageAt,
    contactId: summary.contact.id,
    contact: { ...toContactCard(contact, c.contactId), name },
    flow: flowView(c.flow),
    suspendedFlow: c.suspendedFlow?.name
      ? { name: c.suspendedFlow.name, slot: c.suspendedFlow.slot ?? null }
      : null,
    intentsSeen: c.intentsSeen ?? [],
    statusHistory: history.map((h) => ({
      status: h.status,
      at: new Date(h.at).toISOString(),
      by: h.by ?? null,
      byName: (h.by && staff.get(h.by)) || null,
      reason: h.reason ?? null,
    })),
    escalation: esc?.queuedAt
      ? {
          reason: esc.reason ?? null,
          queuedAt: iso(esc.queuedAt),
          assignedAt: iso(esc.assignedAt),
          closedAt: iso(esc.closedAt),
          afterHours: esc.afterHours === true,
        }
      : null,
    messages: messages.map(toMessageView),
  };
}
