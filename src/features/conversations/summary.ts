/**
 * The conversation as the console's lists show it (ConversationSummary in docs/console-api.md),
 * built from stored documents only.
 */
import type { ContactDoc } from '../../kernel/db/models/contact.js';
import type { ConversationDoc, ConversationStatus } from '../../kernel/db/models/conversation.js';

export interface ConversationSummary {
  id: string;
  channel: string;
  status: ConversationStatus;
  locale: 'es' | 'en' | null;
  contact: { id: string; name: string | null };
  lastMessageAt: string | null;
  lastMessageText: string | null;
  lastIntent: string | null;
  assignee: { id: string; name: string | null } | null;
  escalation: { reason: string | null; queuedAt: string | null } | null;
  createdAt: string | null;
  /** `high` once the customer read as frustrated (src/pipeline/insight/trend.ts). */
  priority: 'high' | null;
  sentiment: SentimentView;
}

/** A conversation's sentiment trend (oldest first) and when the customer read as frustrated. */
export interface SentimentView {
  trend: { at: string; score: number }[];
  frustratedAt: string | null;
}

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
    escalation: escalated
      ? { reason: c.escalation?.reason ?? null, queuedAt: iso(c.escalation?.queuedAt) }
      : null,
    createdAt: iso((c as { createdAt?: Date }).createdAt),
    priority: c.priority === 'high' ? 'high' : null,
    sentiment: toSentimentView(c),
  };
}
