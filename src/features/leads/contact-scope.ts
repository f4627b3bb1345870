/**
 * The lead filters that are facts of the lead's contact, not of the lead: the contact's language
 * (`locale`) and marketing consent. They become a `contactId` condition — the ids of the contacts
 * that match, read first with a projection of `_id` only — so a lead query stays one query that
 * pages and counts (and runs the same on FerretDB and MongoDB; no $lookup). "Withheld" is every
 * lead whose contact has not granted consent, leads without a contact included. On FerretDB the
 * contact read is a scan (admin view, not the hot path).
 */
import type { Types } from 'mongoose';
import { Contact } from '../../kernel/db/models/contact.js';
import { leadFilter } from './filters.js';
import type { LeadFilterQuery } from './schemas.js';

async function contactIds(filter: Record<string, unknown>): Promise<Types.ObjectId[]> {
  const rows = await Contact.find(filter, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
  return rows.map((r) => r._id);
}

async function contactCondition(q: LeadFilterQuery): Promise<Record<string, unknown> | null> {
  if (q.language === undefined && q.consent === undefined) return null;
  if (q.language === undefined && q.consent === 'withheld') {
    return { $nin: await contactIds({ 'marketingConsent.granted': true }) };
  }
  const filter: Record<string, unknown> = {};
  if (q.language !== undefined) filter.locale = q.language;
  if (q.consent === 'granted') filter['marketingConsent.granted'] = true;
  if (q.consent === 'withheld') filter['marketingConsent.granted'] = { $ne: true };
  return { $in: await contactIds(filter) };
}

/** The MongoDB filter of a lead list or export query, contact facts included. */
export async function leadQueryFilter(q: LeadFilterQuery): Promise<Record<string, unknown>> {
  const filter = leadFilter(q);
  const contact = await contactCondition(q);
  if (contact) filter.contactId = contact;
  return filter;
}
