/** Leads repository: one lead per person, found by email first, then phone. */
import type { Types } from 'mongoose';
import type { ChannelId } from '../contracts/messages.js';
import { publishLeadEvent } from '../../features/webhooks/events.js';
import { isDuplicateKeyError } from './errors.js';
import { Lead, type LeadDoc } from './models/lead.js';

export interface LeadInput {
  contactId: Types.ObjectId;
  conversationId?: Types.ObjectId;
  channel: ChannelId;
  name?: string;
  email?: string;
  /** E.164 */
  phone?: string;
  company?: string;
  interest?: string;
}

/** The existing lead with this email, else with this phone. */
export async function findLeadByEmailOrPhone(
  email: string | undefined,
  phone: string | undefined,
): Promise<LeadDoc | null> {
  if (email) {
    const byEmail = await Lead.findOne({ email: email.toLowerCase() })
      .sort({ createdAt: 1 })
      .lean<LeadDoc>();
    if (byEmail) return byEmail;
  }
  if (phone) return Lead.findOne({ phone }).sort({ createdAt: 1 }).lean<LeadDoc>();
  return null;
}

/**
 * Creates the lead, or updates the one with the same email (then phone): given fields overwrite,
 * missing ones keep their stored value. Returns the lead and whether it was new. With `id`
 * (derived from the message that captured it) a replay updates the lead it created instead of
 * creating a second one.
 */
export async function upsertLead(
  input: LeadInput,
  id?: Types.ObjectId,
): Promise<{ lead: LeadDoc; created: boolean }> {
  const email = input.email?.toLowerCase();
  const existing =
    (await findLeadByEmailOrPhone(email, input.phone)) ??
    (id ? await Lead.findById(id).lean<LeadDoc>() : null);
  const fields = Object.fromEntries(
    Object.entries({ ...input, email }).filter(
      ([, v]) => v !== undefined && v !== null && v !== '',
    ),
  );
  if (existing) return { lead: await updateLead(existing, fields, id), created: false };
  try {
    const doc = await Lead.create(id ? { ...fields, _id: id } : fields);
    const lead = doc.toObject() as LeadDoc;
    await publishLeadEvent('lead.created', lead);
    return { lead, created: true };
  } catch (err) {
    const same = id && isDuplicateKeyError(err) ? await Lead.findById(id).lean<LeadDoc>() : null;
    if (!same) throw err;
    return { lead: await updateLead(same, fields, id), created: false };
  }
}

const sameValue = (a: unknown, b: unknown) => String(a ?? '') === String(b ?? '');

/**
 * Webhooks hear `lead.updated` only when a field really changed: a replayed turn writes the
 * same values again and announces nothing. A replay of the turn that created the lead (`id`)
 * announces `lead.created` again, which the delivery ids turn into a no-op unless the first
 * announcement was lost to a crash.
 */
async function updateLead(
  existing: LeadDoc,
  fields: Record<string, unknown>,
  turnLeadId?: Types.ObjectId,
): Promise<LeadDoc> {
  const current = existing as unknown as Record<string, unknown>;
  const changed = Object.entries(fields).some(([k, v]) => !sameValue(current[k], v));
  const lead = await Lead.findOneAndUpdate(
    { _id: existing._id },
    { $set: fields },
    { returnDocument: 'after' },
  ).lean<LeadDoc>();
  if (lead && changed) await publishLeadEvent('lead.updated', lead);
  else if (lead && turnLeadId?.equals(existing._id)) await publishLeadEvent('lead.created', lead);
  return lead ?? existing;
}
