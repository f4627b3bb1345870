/**
 * Recomputing scores. `refreshLead` copies the facts scoring, segments and the export need onto
 * the lead (the contact's language and consent, the intents its conversations saw, the last and
 * the returning contact), then scores it — every read by `_id`, so FerretDB serves it without a
 * scan. `rescoreAll` rescores every lead from the facts it carries, in `_id` batches, after the
 * rules change. Both are idempotent: running one twice writes the same values.
 */
import type { Types } from 'mongoose';
import { Contact, type ContactDoc } from '../../../kernel/db/models/contact.js';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { Lead, type LeadDoc } from '../../../kernel/db/models/lead.js';
import type { ScoringRules } from './rules.js';
import { scoreLead, type ScorableLead } from './score.js';
import { loadRules } from './store.js';

/** A message this long after the lead was created counts as the contact coming back. */
export const RETURN_AFTER_MS = 60 * 60 * 1000;
const MAX_INTENTS = 100;
const BATCH = 500;

type ConversationFacts = Pick<ConversationDoc, '_id' | 'locale' | 'intentsSeen' | 'lastMessageAt'>;

const createdOf = (lead: LeadDoc): Date =>
  (lead as { createdAt?: Date }).createdAt ?? lead._id.getTimestamp();

function scorable(lead: LeadDoc): ScorableLead {
  return { ...lead, createdAt: createdOf(lead) } as ScorableLead;
}

/** The facts of `lead` given its contact and the conversations just looked at. */
export function leadFacts(
  lead: LeadDoc,
  contact: Pick<ContactDoc, 'locale' | 'marketingConsent'> | null,
  conversations: ConversationFacts[],
): Record<string, unknown> {
  const intents = new Set(lead.intentsSeen ?? []);
  for (const c of conversations) for (const i of c.intentsSeen ?? []) intents.add(i);
  const seenAt = conversations.flatMap((c) => (c.lastMessageAt ? [c.lastMessageAt] : []));
  const last = [lead.lastContactAt, ...seenAt]
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const threshold = createdOf(lead).getTime() + RETURN_AFTER_MS;
  const returned =
    lead.returnedAt ??
    seenAt.filter((d) => d.getTime() > threshold).sort((a, b) => a.getTime() - b.getTime())[0];
  const language = contact?.locale ?? conversations.find((c) => c.locale)?.locale ?? lead.language;
  return {
    ...(language ? { language } : {}),
    marketingConsent: contact?.marketingConsent?.granted === true,
    intentsSeen: [...intents].slice(0, MAX_INTENTS),
    ...(last ? { lastContactAt: last } : {}),
    ...(returned ? { returnedAt: returned } : {}),
  };
}

function scoreFields(lead: ScorableLead, rules: ScoringRules, version: number) {
  const { score, reasons } = scoreLead(lead, rules);
  return { score, scoreReasons: reasons, scoreRulesVersion: version, scoredAt: new Date() };
}

/**
 * Refreshes the facts and the score of one lead (after a lead write, a PATCH, or a turn of a
 * conversation that has the lead). `conversationId`: the conversation that just changed.
 */
export async function refreshLead(
  leadId: Types.ObjectId | string,
  conversationId?: Types.ObjectId | string,
  live?: { rules: ScoringRules; version: number },
): Promise<LeadDoc | null> {
  const lead = await Lead.findById(leadId).lean<LeadDoc>();
  if (!lead) return null;
  const convIds = [lead.conversationId, conversationId]
    .filter((id): id is Types.ObjectId | string => id !== undefined && id !== null)
    .map(String);
  const projection = { locale: 1, intentsSeen: 1, lastMessageAt: 1 };
  const [contact, rules, ...conversations] = await Promise.all([
    lead.contactId
      ? Contact.findById(lead.contactId, { locale: 1, marketingConsent: 1 }).lean<ContactDoc>()
      : null,
    live ?? loadRules(),
    ...[...new Set(convIds)].map((id) =>
      Conversation.findById(id, projection).lean<ConversationFacts>(),
    ),
  ]);
  const facts = leadFacts(
    lead,
    contact,
    conversations.filter((c): c is ConversationFacts => c !== null),
  );
  const next = { ...lead, ...facts } as LeadDoc;
  const set = { ...facts, ...scoreFields(scorable(next), rules.rules, rules.version) };
  return Lead.findOneAndUpdate(
    { _id: lead._id },
    { $set: set },
    { returnDocument: 'after' },
  ).lean<LeadDoc>();
}

const reasonsKey = (reasons: Array<{ rule: string; points: number }>): string =>
  reasons.map((r) => `${r.rule}:${r.points}`).join(',');

/** Rescores every lead with `rules` from the facts it carries; returns how many changed. */
export async function rescoreAll(rules: ScoringRules, version: number): Promise<number> {
  let changed = 0;
  let after: Types.ObjectId | undefined;
  for (;;) {
    const batch: LeadDoc[] = await Lead.find(after ? { _id: { $gt: after } } : {})
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean<LeadDoc[]>();
    if (batch.length === 0) return changed;
    const ops = batch.flatMap((lead) => {
      const fields = scoreFields(scorable(lead), rules, version);
      const same =
        lead.score === fields.score &&
        reasonsKey(lead.scoreReasons ?? []) === reasonsKey(fields.scoreReasons);
      if (same && lead.scoreRulesVersion === version) return [];
      if (!same) changed += 1;
      return [{ updateOne: { filter: { _id: lead._id }, update: { $set: fields } } }];
    });
    if (ops.length > 0) await Lead.bulkWrite(ops, { ordered: false });
    after = batch.at(-1)!._id;
  }
}

/** Refreshes every lead of a contact (after its consent or language changed). */
export async function refreshContactLeads(contactId: Types.ObjectId): Promise<number> {
  const leads = await Lead.find({ contactId }, { _id: 1 }).limit(1000).lean<LeadDoc[]>();
  for (const lead of leads) await refreshLead(lead._id);
  return leads.length;
}

/**
 * Refreshes the leads that were never scored (written before scoring existed, or by a path that
 * bypassed it): their ids are read in one pass, then each lead is refreshed by `_id`.
 */
export async function refreshUnscored(): Promise<number> {
  const ids: Types.ObjectId[] = [];
  const cursor = Lead.find({}, { _id: 1, scoredAt: 1 })
    .lean<LeadDoc[]>()
    .cursor({ batchSize: 1000 });
  for await (const lead of cursor) if (!(lead as LeadDoc).scoredAt) ids.push((lead as LeadDoc)._id);
  for (const id of ids) await refreshLead(id);
  return ids.length;
}
