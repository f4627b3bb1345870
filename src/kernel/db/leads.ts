/** Leads repository: one lead per person, found by email first, then phone. */
import type { Types } from 'mongoose';
import type { ChannelId } from '../contracts/messages.js';
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
 * What a lead write announces: `lead.created` for a new lead (and for a replay of the turn that
 * created it, which the delivery ids turn into a no-op unless the first announcement was lost to
 * a crash), `lead.updated` only when a field really changed (a replayed turn writes the same
 * values again and announces nothing), else nothing.
 */
export type LeadChange = 'lead.created' | 'lead.updated' | undefined;

export interface LeadUpsert {
  lead: LeadDoc;
  created: boolean;
  /** The event the caller publishes for this write, if any. */
  change: LeadChange;
}

/**
 * Creates the lead, or updates the one with the same email (then phone): given fields overwrite,
 * missing ones keep their stored value. Returns the lead, whether it was new and what changed.
 * With `id` (derived from the message that captured it) a replay updates the lead it created
 * instead of creating a second one.
 */
export async function upsertLead(input: LeadInput, id?: Types.ObjectId): Promise<LeadUpsert> {
  const email = input.email?.toLowerCase();
  const existing =
    (await findLeadByEmailOrPhone(email, input.phone)) ??
    (id ? await Lead.findById(id).lean<LeadDoc>() : null);
  const fields = Object.fromEntries(
    Object.entries({ ...input, email }).filter(
      ([, v]) => v !== undefined && v !== null && v !== '',
    ),
  );
  if (existing) return { ...(await updateLead(existing, fields, id)), created: false };
  try {
    const doc = await Lead.create(id ? { ...fields, _id: id } : fields);
    return { lead: doc.toObject() as LeadDoc, created: true, change: 'lead.created' };
  } catch (err) {
    const same = id && isDuplicateKeyError(err) ? await Lead.findById(id).lean<LeadDoc>() : null;
    if (!same) throw err;
    return { ...(await updateLead(same, fields, id)), created: false };
  }
}

const sameValue = (a: unknown, b: unknown) => String(a ?? '') === String(b ?? '');

/** Updates a lead and says what changed (see LeadChange). */
async function updateLead(
  existing: LeadDoc,
  fields: Record<string, unknown>,
  turnLeadId?: Types.ObjectId,
): Promise<{ lead: LeadDoc; change: LeadChange }> {
  const current = existing as unknown as Record<string, unknown>;
  const changed = Object.entries(fields).some(([k, v]) => !sameValue(current[k], v));
  const lead = await Lead.findOneAndUpdate(
    { _id: existing._id },
    { $set: fields },
    { returnDocument: 'after' },
  ).lean<LeadDoc>();
  if (lead && changed) return { lead, change: 'lead.updated' };
  if (lead && turnLeadId?.equals(existing._id)) return { lead, change: 'lead.created' };
  return { lead: lead ?? existing, change: undefined };
}
