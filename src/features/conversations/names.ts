/**
 * Names instead of ids on the console's inbox: a customer is named by their contact's name, else
 * the name or email of a lead they gave, else their contact's first email (null when none is
 * known: the console then shows a label such as "Visitor · web chat"); staff ids (`user:<id>`,
 * `admin-token`, Slack ids) become the names the console users and the staff tool know them by.
 */
import { Types } from 'mongoose';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { Lead } from '../../kernel/db/models/lead.js';
import { User } from '../../kernel/db/models/user.js';
import { TOKEN_ACTOR } from '../../kernel/roles.js';

type Named = Pick<ContactDoc, 'name' | 'emails'> | null | undefined;

/** The contact's own name, else its first email; null when it has neither. */
export function contactName(contact: Named): string | null {
  return contact?.name?.trim() || contact?.emails?.[0]?.trim() || null;
}

interface LeadName {
  contactId?: Types.ObjectId | null;
  name?: string | null;
  email?: string | null;
}

/** Lead names (or emails) for contacts that have neither: one query for all of them. */
async function leadNames(contactIds: Types.ObjectId[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (contactIds.length === 0) return out;
  const leads = await Lead.find(
    { contactId: { $in: contactIds } },
    { contactId: 1, name: 1, email: 1 },
  ).lean<LeadName[]>();
  for (const lead of leads) {
    const name = lead.name?.trim() || lead.email?.trim();
    if (lead.contactId && name && !out.has(lead.contactId.toHexString())) {
      out.set(lead.contactId.toHexString(), name);
    }
  }
  return out;
}

/** Display names of contacts by id (hex), from at most two queries. */
export async function customerNames(ids: Iterable<string>): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
  const out = new Map<string, string | null>();
  if (unique.length === 0) return out;
  const contacts = await Contact.find({ _id: { $in: unique } }, { name: 1, emails: 1 }).lean<
    ContactDoc[]
  >();
  for (const c of contacts) out.set(c._id.toHexString(), contactName(c));
  const nameless = unique.filter((id) => !out.get(id)).map((id) => new Types.ObjectId(id));
  const fromLeads = await leadNames(nameless);
  for (const id of unique) out.set(id, out.get(id) ?? fromLeads.get(id) ?? null);
  return out;
}

/** One contact's display name (contact, lead, email). */
export async function customerName(contact: ContactDoc | null): Promise<string | null> {
  const own = contactName(contact);
  if (own || !contact) return own;
  return (await leadNames([contact._id])).get(contact._id.toHexString()) ?? null;
}

const USER_ID = /^user:([0-9a-f]{24})$/i;

/**
 * Names for staff ids: console users from the users collection, the bearer credential as
 * "Admin", others (Slack) from `known` (names the conversation already carries). Ids without a
 * name are left out.
 */
export async function staffNames(
  ids: Iterable<string>,
  known: Iterable<{ id?: string | null; name?: string | null } | null | undefined> = [],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const k of known) if (k?.id && k.name?.trim()) out.set(k.id, k.name.trim());
  const userIds = new Set<string>();
  for (const id of ids) {
    if (id === TOKEN_ACTOR.id) out.set(id, 'Admin');
    const m = USER_ID.exec(id);
    if (m) userIds.add(m[1]!);
  }
  if (userIds.size > 0) {
    const users = await User.find({ _id: { $in: [...userIds] } }, { name: 1 }).lean<
      { _id: Types.ObjectId; name: string }[]
    >();
    for (const u of users) out.set(`user:${u._id.toHexString()}`, u.name);
  }
  return out;
}
