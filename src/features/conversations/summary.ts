/**
 * The conversation as the console's lists show it (ConversationSummary, declared in ./schemas.ts),
 * built from stored documents only.
 */
import type { ContactDoc } from '../../kernel/db/models/contact.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { ConversationSummary, SentimentView } from './schemas.js';

export type { ConversationSummary, SentimentView };

export function toSentimentView(c: Pick<ConversationDoc, 'sentiment'>): SentimentView {
  return {
    trend: (c.sentiment?.trend ?? []).flatMap((p) =>
      p.at && typeof p.score === 'number' ? [{ at: iso(p.at)!, score: p.score }] : [],
    ),
    frustratedAt: iso(c.sentiment?.frustratedAt),
  };
}

export const iso = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;

const ESCALATED = new Set(['queued', 'assigned']);

export function toConversationSummary(
  c: ConversationDoc,
  contact: Pick<ContactDoc, 'name'> | null | undefined,
  unread = false,
): ConversationSummary {
  const escalated = ESCALATED.has(c.status);
  return {
    id: c._id.toHexString(),
    channel: c.channel,
    status: c.status,
    locale: (c.locale as 'es' | 'en' | undefined) ?? null,
    contact: { id: c.contactId.toHexString(), name: contact?.name?.trim() || null },
    lastMessageAt: iso(c.lastMessageAt),
    lastMessageText: c.lastMessageText ?? null,
    lastIntent: c.lastIntent ?? null,
    assignee:
      c.status === 'assigned' && c.assignee?.id
        ? { id: c.assignee.id, name: c.assignee.name ?? null }
        : null,
    team: escalated && c.team?.id ? { id: c.team.id, name: c.team.name ?? null } : null,
    escalation: escalated
      ? { reason: c.escalation?.reason ?? null, queuedAt: iso(c.escalation?.queuedAt) }
      : null,
    createdAt: iso((c as { createdAt?: Date }).createdAt),
    priority: c.priority === 'high' ? 'high' : null,
    sentiment: toSentimentView(c),
    unread,
  };
}
