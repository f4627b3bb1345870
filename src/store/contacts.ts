/** Contacts repository: one customer across channels, found by platform identity. */
import { Types } from 'mongoose';
import type { ChannelId, Locale } from '../contracts/messages.js';
import { Contact, ContactIdentity, type ContactDoc } from './models/contact.js';
import { isDuplicateKeyError } from './errors.js';

export interface IdentityHints {
  displayName?: string;
  locale?: Locale;
  /** E.164 phone the platform vouches for (WhatsApp). */
  phone?: string;
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

  const contact = await Contact.create({
    name: hints.displayName,
    locale: hints.locale,
    phones: hints.phone ? [hints.phone] : [],
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
  return Contact.findById(id).lean<ContactDoc>();
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
