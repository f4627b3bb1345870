/**
 * One search per type (issue 19.7), each an indexed equality on a term array (or a case's
 * number), never a regex and never a sort in the database: at most SCAN matches are read, then
 * sorted newest first in memory. Looks-ups of the page's conversations and contacts go by `_id`
 * one at a time (FerretDB serves `{_id: x}` from the primary key, not `{_id: {$in}}`).
 */
import type { mongo, Types } from 'mongoose';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { allTermsFilter, type TermStats } from './common-terms.js';
import type { SearchGroup, SearchHit } from './schemas.js';

/** Matches read per type before sorting: the page comes from these. */
export const SCAN = 200;

export interface SearchInput {
  terms: string[];
  /** A case number the query spells (CS-000042, 42), if any. */
  caseNumber: string | null;
  limit: number;
  stats: (collection: mongo.Collection, field: string) => Promise<TermStats>;
}

type Stamped = { createdAt?: Date; updatedAt?: Date };
const iso = (d: Date | undefined | null) => (d ? d.toISOString() : null);
const newestFirst = (a: Stamped, b: Stamped) =>
  (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);

async function matching<T>(
  collection: mongo.Collection,
  field: string,
  input: SearchInput,
  extra: Record<string, unknown> = {},
): Promise<T[]> {
  if (input.terms.length === 0) return [];
  const filter = allTermsFilter(field, input.terms, await input.stats(collection, field));
  return (await collection
    .find({ ...filter, ...extra })
    .limit(SCAN)
    .toArray()) as unknown as T[];
}

const group = (type: SearchGroup['type'], hits: SearchHit[], limit: number, scanned: number) => ({
  type,
  items: hits.slice(0, limit),
  more: hits.length > limit || scanned >= SCAN,
});

const contactTitle = (c: Partial<ContactDoc> | null | undefined): string | null =>
  c?.name?.trim() || c?.emails?.[0] || c?.phones?.[0] || null;

export async function searchContacts(input: SearchInput): Promise<SearchGroup> {
  const docs = await matching<ContactDoc & Stamped>(
    Contact.collection as unknown as mongo.Collection,
    'searchTerms',
    input,
    { mergedInto: { $exists: false }, erasedAt: { $exists: false } },
  );
  const hits = docs.sort(newestFirst).map((c): SearchHit => ({
    type: 'contacts',
    id: c._id.toHexString(),
    title: contactTitle(c) ?? c.identities?.[0]?.displayName ?? c._id.toHexString(),
    subtitle: [...(c.emails ?? []), ...(c.phones ?? [])].join(' · ') || null,
    snippet: null,
    href: `/contacts/${c._id.toHexString()}`,
    at: iso(c.updatedAt),
  }));
  return group('contacts', hits, input.limit, docs.length);
}

interface MessageHit {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  text: string;
  createdAt: Date;
}

async function conversationHit(m: MessageHit): Promise<SearchHit | null> {
  const c = await Conversation.findById(m.conversationId, {
    contactId: 1,
    channel: 1,
    status: 1,
  }).lean<ConversationDoc>();
  if (!c) return null;
  const contact = await Contact.findById(c.contactId, { name: 1, emails: 1, phones: 1 }).lean<
    ContactDoc & { erasedAt?: Date }
  >();
  if (contact?.erasedAt) return null;
  return {
    type: 'conversations',
    id: c._id.toHexString(),
    title: contactTitle(contact) ?? c.channel,
    subtitle: `${c.channel} · ${c.status}`,
    snippet: m.text.length > 160 ? `${m.text.slice(0, 157)}…` : m.text,
    href: `/conversations/${c._id.toHexString()}`,
    at: iso(m.createdAt),
  };
}

/** Conversations by their messages' words: the newest matching message of each. */
export async function searchConversations(input: SearchInput): Promise<SearchGroup> {
  const docs = await matching<MessageHit>(
    Message.collection as unknown as mongo.Collection,
    'terms',
    input,
  );
  const newest = new Map<string, MessageHit>();
  for (const m of docs.sort(newestFirst)) {
    const key = m.conversationId.toHexString();
    if (!newest.has(key)) newest.set(key, m);
  }
  const page = [...newest.values()].slice(0, input.limit + 1);
  const hits = (await Promise.all(page.map(conversationHit))).filter((h): h is SearchHit => !!h);
  return group('conversations', hits, input.limit, docs.length);
}

export async function searchCases(input: SearchInput): Promise<SearchGroup> {
  const [byNumber, byText] = await Promise.all([
    input.caseNumber ? Case.findOne({ number: input.caseNumber }).lean<CaseDoc>() : null,
    matching<CaseDoc & Stamped>(
      Case.collection as unknown as mongo.Collection,
      'searchTerms',
      input,
    ),
  ]);
  const rest = byText.filter((k) => !byNumber || !k._id.equals(byNumber._id)).sort(newestFirst);
  const hits = [...(byNumber ? [byNumber as CaseDoc & Stamped] : []), ...rest].map(
    (k): SearchHit => ({
      type: 'cases',
      id: k._id.toHexString(),
      title: k.number,
      subtitle: k.subject?.trim() || k.description?.trim().slice(0, 120) || null,
      snippet: null,
      href: `/cases/${k._id.toHexString()}`,
      at: iso(k.createdAt),
    }),
  );
  return group('cases', hits, input.limit, byText.length);
}

export async function searchLeads(input: SearchInput): Promise<SearchGroup> {
  const docs = await matching<LeadDoc & Stamped>(
    Lead.collection as unknown as mongo.Collection,
    'searchTerms',
    input,
    { erasedAt: { $exists: false } },
  );
  const hits = docs.sort(newestFirst).map((l): SearchHit => ({
    type: 'leads',
    id: l._id.toHexString(),
    title: l.name?.trim() || l.email || l.phone || l._id.toHexString(),
    subtitle: [l.email, l.company, l.status].filter(Boolean).join(' · ') || null,
    snippet: null,
    href: `/leads/${l._id.toHexString()}`,
    at: iso(l.createdAt),
  }));
  return group('leads', hits, input.limit, docs.length);
}
