/** Contacts repository: one customer across channels, found by platform identity. */
import { Types } from 'mongoose';
import type { ChannelId, Locale } from '../contracts/messages.js';
import { Contact, ContactIdentity, type ContactDoc } from './models/contact.js';
import { isDuplicateKeyError } from './errors.js';
import { AuditEntry } from './models/audit-entry.js';
import { Case } from './models/case.js';
import { ConsentRecord, type ConsentRecordDoc } from './models/consent-record.js';
import { Conversation } from './models/conversation.js';
import { Lead } from './models/lead.js';
import { Message } from './models/message.js';
import { Order } from './models/order.js';
import { leanById } from './by-id.js';

export interface IdentityHints {
  displayName?: string;
  locale?: Locale;
  /** E.164 phone the platform vouches for (WhatsApp). */
  phone?: string;
  /** ISO 3166 country (a web visitor's browser locale region). */
  country?: string;
  /** An email address the channel vouches for: a new identity joins the contact that has it. */
  email?: string;
}

const identityKey = (channel: ChannelId, platformUserId: string) => `${channel}:${platformUserId}`;

/** Returns the contact that owns this platform identity, creating both when new. Race-safe. */
export async function resolveContactId(
  channel: ChannelId,
  platformUserId: string,
  hints: IdentityHints = {},
): Promise<Types.ObjectId> {
  const key = identityKey(channel, platformUserId);
  const existing = await ContactIdentity.findOne({ key }).lean();
  if (existing) return existing.contactId;

  const email = hints.email?.toLowerCase();
  const known = email ? await findContactByEmailOrPhone(email, undefined) : null;
  if (known) {
    // Merged by email with what the other channels know (a lead's form, a chat's profile).
    try {
      await ContactIdentity.create({ key, channel, platformUserId, contactId: known._id });
      await Contact.updateOne(
        { _id: known._id },
        { $push: { identities: { channel, platformUserId, displayName: hints.displayName } } },
      );
      return known._id;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await ContactIdentity.findOne({ key }).lean();
      if (!winner) throw err;
      return winner.contactId;
    }
  }

  const contact = await Contact.create({
    name: hints.displayName,
    locale: hints.locale,
    ...(hints.country ? { country: hints.country } : {}),
    phones: hints.phone ? [hints.phone] : [],
    emails: email ? [email] : [],
    identities: [{ channel, platformUserId, displayName: hints.displayName }],
  });
  try {
    await ContactIdentity.create({ key, channel, platformUserId, contactId: contact._id });
    return contact._id;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    // Another request created this identity first: theirs wins, ours is discarded.
    await Contact.deleteOne({ _id: contact._id });
    const winner = await ContactIdentity.findOne({ key }).lean();
    if (!winner) throw err;
    return winner.contactId;
  }
}

export async function findContact(id: string | Types.ObjectId): Promise<ContactDoc | null> {
  return leanById<ContactDoc>(Contact, id);
}

export async function findContactByEmailOrPhone(
  email: string | undefined,
  phone: string | undefined,
  excludeId?: Types.ObjectId,
): Promise<ContactDoc | null> {
  const or: Record<string, string>[] = [];
  if (email) or.push({ emails: email.toLowerCase() });
  if (phone) or.push({ phones: phone });
  if (or.length === 0) return null;
  const filter: Record<string, unknown> = { $or: or, mergedInto: { $exists: false } };
  if (excludeId) filter._id = { $ne: excludeId };
  return Contact.findOne(filter).lean<ContactDoc>();
}

/** Where a consent change came from, for its ConsentRecord and audit entry. */
export interface ConsentChange {
  /** `customer`, `system`, or a staff actor label (`user:<id>`, `admin-token`). */
  actor: string;
  actorName?: string;
  channel?: string;
  /** The wording shown to the customer. */
  wording?: string;
  /** The language of that wording. */
  language?: Locale;
  conversationId?: Types.ObjectId;
  details?: Record<string, unknown>;
  /**
   * Derived from the message that asked (src/kernel/db/turn-ids.ts): a replayed turn writes the same
   * ConsentRecord and audit entry again, which the unique `_id` turns into a no-op.
   */
  recordId?: Types.ObjectId;
  /**
   * Consent for this one channel only (e.g. `email`); absent: every channel, which also clears
   * any per-channel choice (a withdrawal everywhere wins over an earlier grant on one channel).
   */
  scope?: ChannelId;
}

/** Where a contact stands for marketing on one channel. */
export type MarketingConsentState = 'granted' | 'no_consent' | 'unsubscribed';

/**
 * The contact's marketing consent on `channel`: a per-channel choice wins, else the consent for
 * every channel. Never granted is `no_consent`; granted once and withdrawn is `unsubscribed`.
 */
export function marketingConsentOn(
  contact: Pick<ContactDoc, 'marketingConsent'>,
  channel: ChannelId,
): MarketingConsentState {
  const consent = contact.marketingConsent as
    | { granted?: boolean; updatedAt?: Date | null; channels?: Record<string, unknown> | null }
    | null
    | undefined;
  const own = consent?.channels?.[channel];
  if (own === true) return 'granted';
  if (own === false) return 'unsubscribed';
  if (consent?.granted === true) return 'granted';
  return consent?.updatedAt ? 'unsubscribed' : 'no_consent';
}

/** Inserts a document whose `_id` may already exist (a replayed turn): the first one stays. */
async function insertOnce(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

/**
 * Marketing consent on or off: the current state on the contact, a ConsentRecord (the history:
 * when, channel, wording, by whom) and an audit entry saying who changed it and where. The
 * caller then publishes `contact.consent_changed` (lead scoring refreshes the contact's leads).
 */
export async function setMarketingConsent(
  contactId: Types.ObjectId,
  granted: boolean,
  audit: ConsentChange,
): Promise<void> {
  const now = new Date();
  if (audit.scope) {
    await Contact.updateOne(
      { _id: contactId },
      {
        $set: { [`marketingConsent.channels.${audit.scope}`]: granted },
      },
    );
    await recordConsentChange(contactId, granted, audit);
    return;
  }
  // Leads carry the consent for segments and exports: a withdrawal reaches them first and a grant
  // last, so a crash in between never leaves a lead exportable without consent.
  const copyToLeads = () => Lead.updateMany({ contactId }, { $set: { marketingConsent: granted } });
  if (!granted) await copyToLeads();
  await Contact.updateOne(
    { _id: contactId },
    {
      $set: { 'marketingConsent.granted': granted, 'marketingConsent.updatedAt': now },
      $unset: { 'marketingConsent.channels': '' },
    },
  );
  if (granted) await copyToLeads();
  await recordConsentChange(contactId, granted, audit);
}

/** The consent change's history record and audit entry (each written once per recordId). */
async function recordConsentChange(
  contactId: Types.ObjectId,
  granted: boolean,
  audit: ConsentChange,
): Promise<void> {
  const by = audit.actor === 'customer' || audit.actor === 'system' ? audit.actor : 'staff';
  const ids = audit.recordId
    ? { record: { _id: audit.recordId }, entry: { _id: auditIdOf(audit.recordId) } }
    : { record: {}, entry: {} };
  await insertOnce(() =>
    ConsentRecord.create({
      ...ids.record,
      contactId,
      granted,
      channel: audit.channel,
      ...(audit.scope ? { scope: audit.scope } : {}),
      wording: audit.wording,
      ...(audit.language ? { language: audit.language } : {}),
      by,
      actor: audit.actor,
      conversationId: audit.conversationId,
    }),
  );
  await insertOnce(() =>
    AuditEntry.create({
      ...ids.entry,
      action: granted ? 'consent.grant' : 'consent.revoke',
      actor: audit.actor,
      actorName: audit.actorName,
      targetType: 'Contact',
      targetId: contactId.toHexString(),
      details: {
        field: 'marketingConsent',
        granted,
        channel: audit.channel,
        ...(audit.scope ? { scope: audit.scope } : {}),
        ...audit.details,
      },
    }),
  );
}

/** The audit entry's id beside a consent record's: the record's id with its last byte flipped. */
function auditIdOf(recordId: Types.ObjectId): Types.ObjectId {
  const bytes = Buffer.from(recordId.id);
  bytes[11] = bytes[11]! ^ 0xff;
  return new Types.ObjectId(bytes);
}

/** The contact's consent history, newest first. */
export async function listConsentRecords(contactId: Types.ObjectId): Promise<ConsentRecordDoc[]> {
  return ConsentRecord.find({ contactId })
    .sort({ createdAt: -1, _id: -1 })
    .limit(200)
    .lean<ConsentRecordDoc[]>();
}

/**
 * Merges `mergedId` into `survivorId`: one customer seen on two channels. Without transactions,
 * the writes are ordered so that any prefix leaves usable data and re-running finishes the job:
 * copy details to the survivor, move identities and records, write the audit entry (upserted, so
 * once), and only then mark the merged contact with `mergedInto`.
 */
export async function mergeContacts(
  survivorId: Types.ObjectId,
  mergedId: Types.ObjectId,
  audit: { actor: string; reason: string; actorName?: string; details?: Record<string, unknown> },
): Promise<void> {
  if (survivorId.equals(mergedId)) return;
  const [survivor, merged] = await Promise.all([findContact(survivorId), findContact(mergedId)]);
  if (!survivor || !merged || merged.mergedInto) return;

  const set: Record<string, unknown> = {};
  if (!survivor.name && merged.name) set.name = merged.name;
  if (!survivor.locale && merged.locale) set.locale = merged.locale;
  await Contact.updateOne(
    { _id: survivorId },
    {
      ...(Object.keys(set).length > 0 ? { $set: set } : {}),
      $addToSet: {
        emails: { $each: merged.emails ?? [] },
        phones: { $each: merged.phones ?? [] },
        identities: { $each: merged.identities ?? [] },
        tags: { $each: merged.tags ?? [] },
        externalIds: { $each: merged.externalIds ?? [] },
      },
    },
  );
  const move = { $set: { contactId: survivorId } };
  await ContactIdentity.updateMany({ contactId: mergedId }, move);
  await Conversation.updateMany({ contactId: mergedId }, move);
  await Message.updateMany({ contactId: mergedId }, move);
  await Lead.updateMany({ contactId: mergedId }, move);
  await Case.updateMany({ contactId: mergedId }, move);
  await Order.updateMany({ contactId: mergedId }, move);
  await AuditEntry.updateOne(
    { action: 'contact.merge', targetType: 'Contact', targetId: mergedId.toHexString() },
    {
      $setOnInsert: {
        actor: audit.actor,
        ...(audit.actorName ? { actorName: audit.actorName } : {}),
        details: {
          into: survivorId.toHexString(),
          reason: audit.reason,
          identities: (merged.identities ?? []).map((i) => i.channel),
          ...audit.details,
        },
      },
    },
    { upsert: true },
  );
  await Contact.updateOne({ _id: mergedId }, { $set: { mergedInto: survivorId } });
}

const olderFirst = (a: ContactDoc, b: ContactDoc): [ContactDoc, ContactDoc] => {
  const ta = (a as { createdAt?: Date }).createdAt?.getTime() ?? 0;
  const tb = (b as { createdAt?: Date }).createdAt?.getTime() ?? 0;
  if (ta !== tb) return ta < tb ? [a, b] : [b, a];
  return a._id.toHexString() < b._id.toHexString() ? [a, b] : [b, a];
};

/**
 * Adds a captured email/phone (and a name when the contact has none) to the contact. When another
 * contact already has that email or phone, the two are the same person: they are merged into the
 * older one. Returns the id of the contact that holds the details now.
 */
export async function addContactDetails(
  contactId: Types.ObjectId,
  details: { email?: string; phone?: string; name?: string },
  actor = 'bot',
): Promise<Types.ObjectId> {
  const email = details.email?.toLowerCase();
  let current = await findContact(contactId);
  if (!current) return contactId;
  // Follow an earlier merge, so details land on the contact that is still in use.
  for (let hops = 0; current?.mergedInto && hops < 10; hops++) {
    current = await findContact(current.mergedInto);
  }
  if (!current) return contactId;
  for (let i = 0; i < 5; i++) {
    const other = await findContactByEmailOrPhone(email, details.phone, current._id);
    if (!other) break;
    const [survivor, merged] = olderFirst(current, other);
    await mergeContacts(survivor._id, merged._id, {
      actor,
      reason: email && other.emails?.includes(email) ? 'same email' : 'same phone',
    });
    current = (await findContact(survivor._id)) ?? survivor;
  }
  const set: Record<string, unknown> = {};
  if (details.name && !current.name) set.name = details.name;
  const addToSet: Record<string, string> = {};
  if (email) addToSet.emails = email;
  if (details.phone) addToSet.phones = details.phone;
  if (Object.keys(set).length + Object.keys(addToSet).length > 0) {
    await Contact.updateOne(
      { _id: current._id },
      {
        ...(Object.keys(set).length > 0 ? { $set: set } : {}),
        ...(Object.keys(addToSet).length > 0 ? { $addToSet: addToSet } : {}),
      },
    );
  }
  return current._id;
}
