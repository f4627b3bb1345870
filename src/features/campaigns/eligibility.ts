/**
 * Whether one contact may get a marketing message on one channel now, and where it goes. Used by
 * the audience preview, when recipients are listed, and again right before each send
 * (sendMarketingMessage): consent is read from the database every time, never from a copy.
 *
 * A contact merged into another is its survivor; an erased one (a tombstone) is never reached;
 * consent is the contact's for that channel (marketingConsentOn: a per-channel choice wins, else
 * the one for every channel); reachable is an email address for email, and a conversation on the
 * channel whose rule lets us write first for chat (web chat: the visitor's session still known).
 */
import type { Types } from 'mongoose';
import type { ChannelId, Locale } from '../../kernel/contracts/messages.js';
import { findContact, marketingConsentOn } from '../../kernel/db/contacts.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { ContactDoc } from '../../kernel/db/models/contact.js';
import { reachOf, type OutreachLookup } from '../outreach/index.js';
import type { CampaignChannel, ExclusionReason } from './schemas.js';

export type Target =
  { kind: 'email'; address: string } | { kind: 'chat'; conversation: ConversationDoc };

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

async function targetOf(
  contact: ContactDoc,
  channel: CampaignChannel,
  lookup: OutreachLookup,
  now: Date,
): Promise<{ target: Target; addressKey: string } | { unreachable: string }> {
  if (channel === 'email') {
    const address = contact.emails?.[0]?.trim().toLowerCase();
    if (!address) return { unreachable: 'no email address' };
    return { target: { kind: 'email', address }, addressKey: `email:${address}` };
  }
  if (channel === 'whatsapp') return { unreachable: 'WhatsApp takes approved templates only' };
  const conversation = await latestConversation(contact._id, channel);
  if (!conversation) return { unreachable: `never wrote on ${channel}` };
  const { refusal } = await reachOf(conversation, lookup, now);
  if (refusal) return { unreachable: refusal.code };
  return {
    target: { kind: 'chat', conversation },
    addressKey: `${channel}:${conversation.platformConversationId}`,
  };
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
  const no = (reason: ExclusionReason, detail?: string): Eligibility => ({
    ok: false,
    reason,
    contactId: contact._id,
    ...(detail ? { detail } : {}),
  });
  if (isErased(contact)) return no('erased');
  const consent = marketingConsentOn(contact, channel);
  if (consent !== 'granted') return no(consent);
  const reach = await targetOf(contact, channel, lookup, now);
  if ('unreachable' in reach) return no('unreachable', reach.unreachable);
  const language = (contact.locale as Locale | undefined) ?? 'es';
  return { ok: true, contact, ...reach, language };
}
