/**
 * A contact's engagement summary (the analytical CRM view): first and last contact,
 * conversations, channels used, leads, cases (open ones), CSAT average over the cases that carry
 * one, and sentiment (average of the conversations' scores, how many conversations read as
 * frustrated). Computed from the documents the single-customer view reads anyway (its
 * conversations, leads and cases by the contact's indexed id), so a page view costs no extra
 * query unless the contact has more than the view's page of them (then one count each).
 */
import type { Types } from 'mongoose';
import { Case } from '../../kernel/db/models/case.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { Lead } from '../../kernel/db/models/lead.js';
import type { Engagement } from './schemas.js';

export type { Engagement };

interface ConversationLike {
  channel: string;
  createdAt?: Date | null;
  lastMessageAt?: Date | null;
  sentiment?: { trend?: Array<{ score?: number | null }>; frustratedAt?: Date | null } | null;
}
interface CaseLike {
  status?: string;
  csat?: unknown;
}

/** A case's CSAT as a number: src/features/cases stores {rating: 1–5} (a bare number or {score} too). */
function csatOf(k: CaseLike): number | undefined {
  const v = k.csat;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v && typeof v === 'object' && typeof (v as { rating?: unknown }).rating === 'number') {
    return (v as { rating: number }).rating;
  }
  if (v && typeof v === 'object' && typeof (v as { score?: unknown }).score === 'number') {
    return (v as { score: number }).score;
  }
  return undefined;
}

const time = (d: Date | null | undefined) => (d ? new Date(d).getTime() : undefined);
const isoOf = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The summary from the contact's documents. `page` is how many of each the caller read at most:
 * when a list is that long there may be more, so those are counted (and the dates read) instead.
 */
export async function engagementOf(
  contactId: Types.ObjectId,
  docs: { conversations: ConversationLike[]; leads: unknown[]; cases: CaseLike[] },
  page: number,
): Promise<Engagement> {
  const { conversations, leads, cases } = docs;
  const owned = { contactId };
  const full = (list: unknown[]) => list.length < page;
  const [conversationCount, leadCount, caseCount, openCount, first] = await Promise.all([
    full(conversations) ? conversations.length : Conversation.countDocuments(owned),
    full(leads) ? leads.length : Lead.countDocuments(owned),
    full(cases) ? cases.length : Case.countDocuments(owned),
    full(cases)
      ? cases.filter((k) => k.status === 'open' || k.status === 'pending').length
      : Case.countDocuments({ ...owned, status: { $in: ['open', 'pending'] } }),
    full(conversations)
      ? undefined
      : Conversation.findOne(owned, { createdAt: 1 }).sort({ createdAt: 1 }).lean(),
  ]);
  const starts = conversations.map((c) => time(c.createdAt)).filter((t) => t !== undefined);
  const lasts = conversations
    .map((c) => time(c.lastMessageAt) ?? time(c.createdAt))
    .filter((t) => t !== undefined);
  const firstAt = first ? time(first.createdAt) : starts.length ? Math.min(...starts) : undefined;
  const scores = conversations.flatMap((c) =>
    (c.sentiment?.trend ?? []).flatMap((p) => (typeof p.score === 'number' ? [p.score] : [])),
  );
  const csats = cases.map(csatOf).filter((v): v is number => v !== undefined);
  return {
    firstContactAt: isoOf(firstAt),
    lastContactAt: isoOf(lasts.length ? Math.max(...lasts) : undefined),
    conversations: conversationCount,
    channels: [...new Set(conversations.map((c) => c.channel))].sort(),
    leads: leadCount,
    cases: caseCount,
    openCases: openCount,
    csat: csats.length
      ? {
          average: round2(csats.reduce((a, b) => a + b, 0) / csats.length),
          responses: csats.length,
        }
      : null,
    sentiment: {
      average: scores.length ? round2(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
      frustratedConversations: conversations.filter((c) => c.sentiment?.frustratedAt).length,
    },
  };
}
