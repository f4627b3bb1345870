/**
 * Whether one contact may get a marketing message on one channel now, and where it goes. Used by
 * the audience preview, when recipients are listed, and again right before each send
 * (sendMarketingMessage): consent is read from the database every time, never from a copy.
 *
 * A contact merged into another is its survivor; an erased one (a tombstone) is never reached;
 * consent is the contact's for that channel (marketingConsentOn: a per-channel choice wins, else
 * the one for every channel); reachable is an email address for email, a WhatsApp conversation (the
 * customer's number) for WhatsApp templates, and a conversation on the channel whose rule lets
 * us write first for other chat (web chat: the visitor's session still known).
 */
import type { Types } from 'mongoose';
import type { ChannelId, Locale } from '../../kernel/contracts/messages.js';
import { findContact, marketingConsentOn } from '../../kernel/db/contacts.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { reachOf, type OutreachLookup } from '../outreach/index.js';
import type { CampaignChannel, ExclusionReason } from './schemas.js';

export type Target =
  | { kind: 'email'; address: string }
  | { kind: 'chat'; conversation: ConversationDoc }
  /** WhatsApp: a template to the customer's number, any time (no 24 h window for templates). */
  | { kind: 'whatsapp'; to: string; conversation: ConversationDoc };

export type Eligibility =
  | { ok: true; contact: ContactDoc; target: Target; addressKey: string; language: Locale }
  | { ok: false; reason: ExclusionReason; contactId: Types.ObjectId; detail?: string };

const MAX_MERGE_HOPS = 5;

/** The contact a (possibly merged) id stands for now; null when there is none. */
export async function survivorOf(id: Types.ObjectId): Promise<ContactDoc | null> {
  let contact = await findContact(id);
  for (let hop = 0; contact?.mergedInto && hop < MAX_MERGE_HOPS; hop++) {
    contact = await findContact(contact.mergedInto);
  }
  return contact?.mergedInto ? null : contact;
}

const isErased = (c: ContactDoc) => Boolean((c as { erasedAt?: Date }).erasedAt);

async function latestConversation(
  contactId: Types.ObjectId,
  channel: ChannelId,
): Promise<ConversationDoc | null> {
  return Conversation.findOne({ contactId, channel })
    .sort({ createdAt: -1, _id: -1 })
    .lean<ConversationDoc>();
}

function emailTarget(contact: ContactDoc): { target: Target; addressKey: string } | null {
  const address = contact.emails?.[0]?.trim().toLowerCase();
  return address ? { target: { kind: 'email', address }, addressKey: `email:${address}` } : null;
}

async function chatTarget(
  conversation: ConversationDoc | null,
  channel: CampaignChannel,
  lookup: OutreachLookup,
  now: Date,
): Promise<{ target: Target; addressKey: string } | { unreachable: string }> {
  if (!conversation) return { unreachable: `never wrote on ${channel}` };
  const { refusal } = await reachOf(conversation, lookup, now);
  if (refusal) return { unreachable: refusal.code };
  return {
    target: { kind: 'chat', conversation },
    addressKey: `${channel}:${conversation.platformConversationId}`,
  };
}

/**
 * WhatsApp: the customer's number (wa_id) from their latest WhatsApp conversation. Templates may
 * be sent outside the 24-hour window, so the outreach rule's window is not applied.
 */
function whatsappTarget(
  conversation: ConversationDoc | null,
): { target: Target; addressKey: string } | { unreachable: string } {
  const to = conversation?.platformUserId ?? conversation?.platformConversationId;
  if (!conversation || !to) return { unreachable: 'never wrote on whatsapp' };
  return { target: { kind: 'whatsapp', to, conversation }, addressKey: `whatsapp:${to}` };
}

/**
 * The verdict on one contact (already its survivor) once its documents are read: `conversation`
 * is its latest conversation on a chat channel (unused for email). Shared by the one-contact
 * check below and the batched audience walk (audience.ts), so both decide alike.
 */
export async function judge(
  contact: ContactDoc,
  channel: CampaignChannel,
  conversation: ConversationDoc | null,
  lookup: OutreachLookup,
  now: Date,
): Promise<Eligibility> {
  const no = (reason: ExclusionReason, detail?: string): Eligibility => ({
    ok: false,
    reason,
    contactId: contact._id,
    ...(detail ? { detail } : {}),
  });
  if (isErased(contact)) return no('erased');
  const consent = marketingConsentOn(contact, channel);
  if (consent !== 'granted') return no(consent);
  let reach: { target: Target; addressKey: string } | { unreachable: string };
  if (channel === 'email') reach = emailTarget(contact) ?? { unreachable: 'no email address' };
  else if (channel === 'whatsapp') reach = whatsappTarget(conversation);
  else reach = await chatTarget(conversation, channel, lookup, now);
  if ('unreachable' in reach) return no('unreachable', reach.unreachable);
  const language = (contact.locale as Locale | undefined) ?? 'es';
  return { ok: true, contact, ...reach, language };
}

/** Consent, erasure and reachability of one contact on one channel, read now. */
export async function eligibilityOf(
  contactId: Types.ObjectId,
  channel: CampaignChannel,
  lookup: OutreachLookup,
  now = new Date(),
): Promise<Eligibility> {
  const contact = await survivorOf(contactId);
  if (!contact) return { ok: false, reason: 'erased', contactId, detail: 'no such contact' };
  const chat = channel !== 'email';
  const conversation = chat ? await latestConversation(contact._id, channel) : null;
  return judge(contact, channel, conversation, lookup, now);
}

/**
 * How a whole audience is read. `by-id`: each contact (and its latest chat conversation) by its
 * own indexed query, as eligibilityOf does — right for a small audience in a large database.
 * `scan`: the contacts collection read once (and the channel's conversations once), keeping the
 * audience's — right for a large audience: FerretDB 1.24 serves `_id` equalities from an index
 * but not `$in` (each `$in` batch would be a full scan), and 100,000 single reads are 100,000
 * round trips. Both plans use only what both databases index or scan alike, and decide through
 * `judge`, so they agree (test/features/campaigns/audience-batch.test.ts).
 */
export type ReadPlan = 'by-id' | 'scan';

/** An audience of at least this many contacts, and a quarter of all contacts, is scanned. */
const MIN_SCAN = 2000;
const SCAN_SHARE = 0.25;

export async function readPlanFor(audience: number): Promise<ReadPlan> {
  if (audience < MIN_SCAN) return 'by-id';
  const total = await Contact.estimatedDocumentCount();
  return audience >= SCAN_SHARE * total ? 'scan' : 'by-id';
}

/** The fields the verdict reads (the walk never needs the rest of a contact). */
const CONTACT_FIELDS = {
  name: 1,
  emails: 1,
  locale: 1,
  marketingConsent: 1,
  mergedInto: 1,
  erasedAt: 1,
} as const;

const CONVERSATION_FIELDS = {
  contactId: 1,
  channel: 1,
  platformConversationId: 1,
  platformUserId: 1,
  lastMessageAt: 1,
  createdAt: 1,
  status: 1,
} as const;

const newer = (a: ConversationDoc, b: ConversationDoc) => {
  const ta = a.createdAt ? new Date(a.createdAt).getTime() : 0;
  const tb = b.createdAt ? new Date(b.createdAt).getTime() : 0;
  return ta !== tb ? ta > tb : a._id.toHexString() > b._id.toHexString();
};

/**
 * A reader of an audience's eligibility, one contact at a time, on the given plan: `scan`
 * preloads the contacts (and, for chat, each one's latest conversation on the channel) so each
 * verdict needs no database call; `by-id` is eligibilityOf.
 */
export async function audienceReader(
  ids: Types.ObjectId[],
  channel: CampaignChannel,
  lookup: OutreachLookup,
  now: Date,
  plan: ReadPlan,
): Promise<(id: Types.ObjectId) => Promise<Eligibility>> {
  if (plan === 'by-id') return (id) => eligibilityOf(id, channel, lookup, now);
  const wanted = new Set(ids.map((id) => id.toHexString()));
  const contacts = new Map<string, ContactDoc>();
  const cursor = Contact.collection.find({}, { projection: CONTACT_FIELDS, batchSize: 1000 });
  for await (const doc of cursor) {
    const key = (doc._id as Types.ObjectId).toHexString();
    if (wanted.has(key)) contacts.set(key, doc as unknown as ContactDoc);
  }
  const byId = async (id: Types.ObjectId) => contacts.get(id.toHexString()) ?? findContact(id);
  const survivor = async (id: Types.ObjectId) => {
    let contact = await byId(id);
    for (let hop = 0; contact?.mergedInto && hop < MAX_MERGE_HOPS; hop++) {
      contact = await byId(contact.mergedInto);
    }
    return contact?.mergedInto ? null : contact;
  };
  const chat = channel !== 'email';
  const latest = new Map<string, ConversationDoc>();
  if (chat) {
    const conversations = Conversation.collection.find(
      { channel },
      { projection: CONVERSATION_FIELDS, batchSize: 1000 },
    );
    for await (const doc of conversations) {
      const c = doc as unknown as ConversationDoc;
      const key = c.contactId?.toHexString();
      if (!key || !contacts.has(key)) continue;
      const seen = latest.get(key);
      if (!seen || newer(c, seen)) latest.set(key, c);
    }
  }
  return async (id) => {
    const contact = await survivor(id);
    if (!contact) return { ok: false, reason: 'erased', contactId: id, detail: 'no such contact' };
    const key = contact._id.toHexString();
    // A survivor outside the audience (merged in from it) was not in the scan's conversations.
    const conversation = !chat
      ? null
      : contacts.has(key)
        ? (latest.get(key) ?? null)
        : await latestConversation(contact._id, channel);
    return judge(contact, channel, conversation, lookup, now);
  };
}
