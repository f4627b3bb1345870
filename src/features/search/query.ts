/**
 * One search per type (issue 19.7), each an indexed equality on one term (or a case's number),
 * never a regex and never a sort in the database. FerretDB 1.24 pushes down one equality and no
 * more (`$and`/`$all` of several terms, `$exists`, … make it read every match of the first and
 * filter them itself: 15 s for two words each in a third of 100k messages), so the database is
 * asked for the rarest term alone — a filter it serves from its index, with its limit pushed down
 * — and the other terms and conditions are checked here on a cursor over its matches, which
 * stops once SCAN have matched everything or READ_CAP have been read. A page is sorted newest
 * first in memory; a search that stopped early says `more`. Look-ups of the page's conversations
 * and contacts go by `_id` one at a time (FerretDB serves `{_id: x}` from the primary key, not
 * `{_id: {$in}}`). The same queries serve MongoDB.
 */
import type { mongo, Types } from 'mongoose';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { rankTerms, type TermStats } from './common-terms.js';
import type { SearchGroup, SearchHit } from './schemas.js';

/** Matches (every term, every condition) kept per type: the page comes from these. */
export const SCAN = 200;
/** Documents holding the leading term read per type at most, matching or not. */
export const READ_CAP = 2_000;
const BATCH = 250;

export interface SearchInput {
  terms: string[];
  /** A case number the query spells (CS-000042, 42), if any. */
  caseNumber: string | null;
  limit: number;
  stats: (collection: mongo.Collection, field: string) => Promise<TermStats>;
  /** Overrides READ_CAP (tests). */
  readCap?: number;
}

type Stamped = { createdAt?: Date; updatedAt?: Date };
const iso = (d: Date | undefined | null) => (d ? d.toISOString() : null);
const newestFirst = (a: Stamped, b: Stamped) =>
  (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);

interface Scan<T> {
  docs: T[];
  /** Every document holding the leading term was read (nothing left out). */
  complete: boolean;
}

/**
 * Documents holding every term and passing `keep`: a cursor over the rarest term's matches
 * (index equality only, so FerretDB streams them and honours the limit), the other terms checked
 * on each, stopping at SCAN matches or after reading the cap.
 */
async function matching<T>(
  collection: mongo.Collection,
  field: string,
  input: SearchInput,
  keep: (doc: Record<string, unknown>) => boolean = () => true,
): Promise<Scan<T>> {
  if (input.terms.length === 0) return { docs: [], complete: true };
  const [lead, ...rest] = rankTerms(input.terms, await input.stats(collection, field));
  const cap = input.readCap ?? READ_CAP;
  const cursor = collection
    .find({ [field]: lead })
    .limit(cap)
    .batchSize(Math.min(BATCH, cap));
  const docs: T[] = [];
  let read = 0;
  let complete = true;
  try {
    for await (const doc of cursor) {
      read += 1;
      const held = doc[field];
      const has = Array.isArray(held) ? new Set(held as string[]) : null;
      if (has && rest.every((t) => has.has(t)) && keep(doc)) {
        docs.push(doc as unknown as T);
        if (docs.length >= SCAN) {
          complete = false;
          break;
        }
      }
    }
    if (read >= cap) complete = false;
  } finally {
    await cursor.close();
  }
  return { docs, complete };
}

const group = (type: SearchGroup['type'], hits: SearchHit[], limit: number, complete: boolean) => ({
  type,
  items: hits.slice(0, limit),
  more: hits.length > limit || !complete,
});

const contactTitle = (c: Partial<ContactDoc> | null | undefined): string | null =>
  c?.name?.trim() || c?.emails?.[0] || c?.phones?.[0] || null;

export async function searchContacts(input: SearchInput): Promise<SearchGroup> {
  const { docs, complete } = await matching<ContactDoc & Stamped>(
    Contact.collection as unknown as mongo.Collection,
    'searchTerms',
    input,
    (c) => c.mergedInto == null && c.erasedAt == null,
  );
  const hits = docs.sort(newestFirst).map((c): SearchHit => ({
    type: 'contacts',
    id: c._id.toHexString(),
    title: contactTitle(c) ?? c.identities?.[0]?.displayName ?? c._id.toHexString(),
    subtitle: [...(c.emails ?? []), ...(c.phones ?? [])].join(' · ') || null,
    channel: null,
    status: null,
    snippet: null,
    href: `/contacts/${c._id.toHexString()}`,
    at: iso(c.updatedAt),
  }));
  return group('contacts', hits, input.limit, complete);
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
    subtitle: null,
    channel: c.channel,
    status: c.status,
    snippet: m.text.length > 160 ? `${m.text.slice(0, 157)}…` : m.text,
    href: `/conversations/${c._id.toHexString()}`,
    at: iso(m.createdAt),
  };
}

/** Conversations by their messages' words: the newest matching message of each. */
export async function searchConversations(input: SearchInput): Promise<SearchGroup> {
  const { docs, complete } = await matching<MessageHit>(
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
  return group('conversations', hits, input.limit, complete);
}

export async function searchCases(input: SearchInput): Promise<SearchGroup> {
  const [byNumber, { docs: byText, complete }] = await Promise.all([
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
      channel: k.channel ?? null,
      status: k.status ?? null,
      snippet: null,
      href: `/cases/${k._id.toHexString()}`,
      at: iso(k.createdAt),
    }),
  );
  return group('cases', hits, input.limit, complete);
}

export async function searchLeads(input: SearchInput): Promise<SearchGroup> {
  const { docs, complete } = await matching<LeadDoc & Stamped>(
    Lead.collection as unknown as mongo.Collection,
    'searchTerms',
    input,
    (l) => l.erasedAt == null,
  );
  const hits = docs.sort(newestFirst).map((l): SearchHit => ({
    type: 'leads',
    id: l._id.toHexString(),
    title: l.name?.trim() || l.email || l.phone || l._id.toHexString(),
    subtitle: [l.email, l.company].filter(Boolean).join(' · ') || null,
    channel: null,
    status: l.status ?? null,
    snippet: null,
    href: `/leads/${l._id.toHexString()}`,
    at: iso(l.createdAt),
  }));
  return group('leads', hits, input.limit, complete);
}
