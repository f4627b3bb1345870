/** The views of GET /api/leads and GET /api/leads/:id (shapes in schemas.ts). */
import type { LeadDetail } from './detail.js';
import type { LeadDoc } from '../../kernel/db/models/lead.js';
import { isoOrNull } from '../../kernel/schema-helpers.js';
import type { ConsentRecordView, LeadDetailView, LeadView } from './schemas.js';
import { contactValues, type ContactValueBrief } from '../value/index.js';

/** Customer values of these leads' contacts, keyed by contact id (one batch read, src/features/value). */
export type LeadValues = Map<string, ContactValueBrief>;

export async function leadValues(leads: LeadDoc[]): Promise<LeadValues> {
  return contactValues(leads.flatMap((l) => (l.contactId ? [l.contactId] : [])));
}

export function consentRecordView(r: LeadDetail['consentHistory'][number]): ConsentRecordView {
  return {
    granted: r.granted,
    at: isoOrNull(r.createdAt),
    channel: r.channel ?? null,
    wording: r.wording ?? null,
    by: r.by,
    actor: r.actor,
  };
}

/** The stored propensity as the API shows it (null when the lead has none). */
function propensityView(p: LeadDoc['propensity']): LeadView['propensity'] {
  if (!p || typeof p.p !== 'number') return null;
  return {
    p: p.p,
    factors: (p.factors ?? []).map((f) => ({ feature: f.feature ?? '', weight: f.weight ?? 0 })),
    at: isoOrNull(p.at),
  };
}

/** Leads as the API shows them, with their customers' value read in one batch. */
export async function leadViews(leads: LeadDoc[]): Promise<LeadView[]> {
  const values = await leadValues(leads);
  return leads.map((l) => leadView(l, values));
}

export function leadView(lead: LeadDoc, values?: LeadValues): LeadView {
  return {
    id: lead._id.toHexString(),
    name: lead.name ?? null,
    email: lead.email ?? null,
    phone: lead.phone ?? null,
    company: lead.company ?? null,
    interest: lead.interest ?? null,
    status: lead.status,
    score: lead.score,
    scoreReasons: (lead.scoreReasons ?? []).map((r) => ({
      rule: r.rule,
      points: r.points,
      label: { en: r.label?.en ?? r.rule, es: r.label?.es ?? r.rule },
    })),
    scoredAt: isoOrNull(lead.scoredAt),
    language: lead.language ?? null,
    marketingConsent: lead.marketingConsent === true,
    lastContactAt: isoOrNull(lead.lastContactAt),
    channel: lead.channel,
    contactId: lead.contactId?.toHexString() ?? null,
    conversationId: lead.conversationId?.toHexString() ?? null,
    owner: lead.owner?.toHexString() ?? null,
    notes: lead.notes ?? null,
    amount: typeof lead.amount === 'number' ? lead.amount : null,
    tags: lead.tags ?? [],
    propensity: propensityView(lead.propensity),
    customerValue: (lead.contactId && values?.get(lead.contactId.toHexString())) || null,
    createdAt: isoOrNull((lead as { createdAt?: Date }).createdAt),
    updatedAt: isoOrNull((lead as { updatedAt?: Date }).updatedAt),
  };
}

export function leadDetailView(d: LeadDetail, values?: LeadValues): LeadDetailView {
  const consent = d.contact
    ? {
        granted: d.contact.marketingConsent?.granted === true,
        updatedAt: isoOrNull(d.contact.marketingConsent?.updatedAt),
        history: d.consentHistory.map(consentRecordView),
      }
    : null;
  return {
    lead: leadView(d.lead, values),
    consent,
    transcript: d.transcript.map((m) => ({
      id: m._id.toHexString(),
      author: m.author,
      direction: m.direction,
      text: m.text ?? '',
      at: isoOrNull((m as { createdAt?: Date }).createdAt),
    })),
    otherLeads: d.otherLeads.map((l) => leadView(l, values)),
    cases: d.cases.map((c) => ({
      id: c._id.toHexString(),
      number: c.number,
      type: c.type,
      subject: c.subject ?? null,
      status: c.status,
      createdAt: isoOrNull((c as { createdAt?: Date }).createdAt),
    })),
    timeline: d.timeline.map((e) => ({
      at: isoOrNull(e.at),
      action: e.action,
      actor: e.actor,
      actorName: e.actorName ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
    })),
  };
}
