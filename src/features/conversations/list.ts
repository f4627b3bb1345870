/**
 * GET /api/conversations: filters → one MongoDB query, newest activity first. Off the hot path:
 * served by the lastMessageAt indexes on MongoDB (FerretDB scans; fine for its scale).
 */
import type { Types } from 'mongoose';
import type { ChannelId, Locale } from '../../kernel/contracts/messages.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import {
  Conversation,
  type ConversationDoc,
  type ConversationStatus,
} from '../../kernel/db/models/conversation.js';
import type { Actor } from '../../kernel/roles.js';
import { customerNames } from './names.js';
import type { InboxView } from './schemas.js';
import { unreadOf, viewFilter, viewSort } from './views.js';
import { toConversationSummary, type ConversationSummary } from './summary.js';

export interface ConversationQuery {
  view?: InboxView;
  channel?: ChannelId;
  team?: string;
  status?: ConversationStatus;
  language?: Locale;
  intent?: string;
  from?: Date;
  to?: Date;
  q?: string;
  limit: number;
  offset: number;
}

/** Contacts a free-text search can match at most (by name, email or phone). */
const MAX_MATCHED_CONTACTS = 1000;

export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function contactsMatching(text: string): Promise<Types.ObjectId[]> {
  const re = new RegExp(escapeRegex(text), 'i');
  const docs = await Contact.find(
    { $or: [{ name: re }, { emails: re }, { phones: re }] },
    { _id: 1 },
  )
    .limit(MAX_MATCHED_CONTACTS)
    .lean<Pick<ContactDoc, '_id'>[]>();
  return docs.map((d) => d._id);
}

export async function conversationFilter(
  query: Omit<ConversationQuery, 'limit' | 'offset'>,
): Promise<Record<string, unknown>> {
  const filter: Record<string, unknown> = {};
  // The bot studio's sandbox chats (channel `studio`) are not customers: listed only when asked for.
  filter.channel = query.channel ?? { $ne: 'studio' };
  if (query.status) filter.status = query.status;
  if (query.team) filter['team.id'] = query.team;
  if (query.language) filter.locale = query.language;
  if (query.intent) filter.intentsSeen = query.intent;
  if (query.from || query.to) {
    filter.lastMessageAt = {
      ...(query.from ? { $gte: query.from } : {}),
      ...(query.to ? { $lte: query.to } : {}),
    };
  }
  const q = query.q?.trim();
  if (q) {
    const contactIds = await contactsMatching(q);
    filter.$or = [
      { contactId: { $in: contactIds } },
      { lastMessageText: new RegExp(escapeRegex(q), 'i') },
    ];
  }
  return filter;
}

/**
 * Summaries for stored conversations, with their customers' names (names.ts, ≤ 2 queries) and,
 * given who asks, which are unread for them (views.ts, one query).
 */
export async function summarise(
  docs: ConversationDoc[],
  viewer?: Actor,
): Promise<ConversationSummary[]> {
  const [names, unread] = await Promise.all([
    customerNames(docs.map((d) => d.contactId.toHexString())),
    viewer ? unreadOf(viewer, docs) : new Set<string>(),
  ]);
  return docs.map((d) =>
    toConversationSummary(
      d,
      { name: names.get(d.contactId.toHexString()) ?? null },
      unread.has(d._id.toHexString()),
    ),
  );
}

export async function listConversations(
  query: ConversationQuery,
  viewer: Actor,
): Promise<{ items: ConversationSummary[]; total: number }> {
  const { view, ...rest } = query;
  const base = await conversationFilter(rest);
  const byView = viewFilter(view, viewer);
  const filter = Object.keys(byView).length ? { $and: [base, byView] } : base;
  const [docs, total] = await Promise.all([
    Conversation.find(filter)
      .sort(viewSort(view))
      .skip(query.offset)
      .limit(query.limit)
      .lean<ConversationDoc[]>(),
    Conversation.countDocuments(filter),
  ]);
  return { items: await summarise(docs, viewer), total };
}
