/**
 * Staff edits of leads (the marketers' workspace): one lead (PATCH) or many (bulk). Every value
 * is checked before anything is written — an unknown lead or owner changes nothing — and each
 * changed lead gets one audit entry (`lead.update`, before/after of the changed fields), which
 * is also what its timeline shows.
 */
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor } from '../../kernel/roles.js';
import { User } from '../../kernel/db/models/user.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import type { EventPublisher } from '../../kernel/events.js';
import type { LeadChanges } from './schemas.js';

type Stored = Record<string, unknown>;

/** 400 unless `owner` is an existing user who is not disabled. */
async function assertOwner(owner: string | null | undefined): Promise<void> {
  if (owner === undefined || owner === null) return;
  const user = Types.ObjectId.isValid(owner)
    ? await User.findById(owner, { disabled: 1 }).lean()
    : null;
  if (!user || user.disabled === true) {
    throw invalid('invalid_owner', 'The owner must be an existing, active staff user.');
  }
}

/** The stored form of the changes (owner as an ObjectId, tags trimmed and unique). */
function storedChanges(changes: LeadChanges): { set: Stored; unset: Stored } {
  const set: Stored = {};
  const unset: Stored = {};
  if (changes.status !== undefined) set.status = changes.status;
  if (changes.owner !== undefined) {
    if (changes.owner === null) unset.owner = '';
    else set.owner = new Types.ObjectId(changes.owner);
  }
  if (changes.notes !== undefined) {
    if (changes.notes === null || changes.notes === '') unset.notes = '';
    else set.notes = changes.notes;
  }
  if (changes.amount !== undefined) {
    if (changes.amount === null) unset.amount = '';
    else set.amount = changes.amount;
  }
  if (changes.tags !== undefined) set.tags = [...new Set(changes.tags.map((t) => t.trim()))];
  return { set, unset };
}

const comparable = (v: unknown): string =>
  v instanceof Types.ObjectId ? v.toHexString() : JSON.stringify(v ?? null);

/** before/after of the fields that really change, as the audit log and timeline show them. */
function diffOf(lead: LeadDoc, changes: LeadChanges): { before: Stored; after: Stored } {
  const before: Stored = {};
  const after: Stored = {};
  const current = lead as unknown as Stored;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const was = current[key];
    const wanted = key === 'notes' && value === '' ? null : value;
    if (comparable(was) === comparable(wanted)) continue;
    before[key] = was instanceof Types.ObjectId ? was.toHexString() : (was ?? null);
    after[key] = wanted;
  }
  return { before, after };
}

async function applyTo(
  lead: LeadDoc,
  changes: LeadChanges,
  actor: Actor,
  events: EventPublisher,
  details?: Stored,
): Promise<LeadDoc> {
  const { before, after } = diffOf(lead, changes);
  if (Object.keys(after).length === 0) return lead;
  const { set, unset } = storedChanges(changes);
  const update: Stored = {};
  if (Object.keys(set).length) update.$set = set;
  if (Object.keys(unset).length) update.$unset = unset;
  const updated = await Lead.findOneAndUpdate({ _id: lead._id }, update, {
    returnDocument: 'after',
    runValidators: true,
  }).lean<LeadDoc>();
  if (!updated) throw notFound('The lead');
  await recordAudit({
    actor,
    action: 'lead.update',
    targetType: 'Lead',
    targetId: lead._id.toHexString(),
    before,
    after,
    details,
  });
  await events.publish('lead.updated', { lead: updated });
  return updated;
}

/** Edits one lead; `events` hears `lead.updated` (webhooks). */
export async function editLead(
  id: string,
  changes: LeadChanges,
  actor: Actor,
  events: EventPublisher,
): Promise<LeadDoc> {
  const lead = Types.ObjectId.isValid(id) ? await Lead.findById(id).lean<LeadDoc>() : null;
  if (!lead) throw notFound('The lead');
  await assertOwner(changes.owner);
  if (typeof changes.amount === 'number' && (changes.status ?? lead.status) !== 'won') {
    throw invalid('amount_needs_won', 'Only a won lead records an amount: set status won too.');
  }
  return applyTo(lead, changes, actor, events);
}

/** Applies `changes` to every lead in `ids`; all ids must exist (else 400, nothing changes). */
export async function bulkEditLeads(
  ids: string[],
  changes: LeadChanges,
  actor: Actor,
  events: EventPublisher,
): Promise<{ updated: number; items: LeadDoc[] }> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  await assertOwner(changes.owner);
  const leads = await Lead.find({
    _id: { $in: unique.map((i) => new Types.ObjectId(i)) },
  }).lean<LeadDoc[]>();
  if (leads.length !== unique.length) {
    const found = new Set(leads.map((l) => l._id.toHexString()));
    const missing = unique.filter((i) => !found.has(i));
    throw invalid('unknown_leads', `Unknown lead ids: ${missing.join(', ')}.`);
  }
  const items: LeadDoc[] = [];
  let updated = 0;
  for (const lead of leads) {
    const after = await applyTo(lead, changes, actor, events, { bulk: true });
    if (after !== lead) updated += 1;
    items.push(after);
  }
  return { updated, items };
}
