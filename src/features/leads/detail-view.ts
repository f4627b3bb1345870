/** The response of GET /api/leads/:id: schema and view of a LeadDetail (src/features/leads/detail.ts). */
import { z } from 'zod';
import type { LeadDetail } from './detail.js';
import type { LeadDoc } from '../../kernel/db/models/lead.js';
import { isoOrNull } from '../../kernel/schema-helpers.js';

const nullableString = z.string().nullable();

const consentRecordItem = z.object({
  granted: z.boolean(),
  at: nullableString,
  channel: nullableString,
  wording: nullableString,
  by: z.enum(['customer', 'staff', 'system']),
  actor: z.string(),
});

export const consentView = z
  .object({
    granted: z.boolean(),
    updatedAt: nullableString,
    history: z.array(consentRecordItem),
  })
  .meta({ id: 'MarketingConsent' });

export function consentRecordView(
  r: LeadDetail['consentHistory'][number],
): z.infer<typeof consentRecordItem> {
  return {
    granted: r.granted,
    at: isoOrNull(r.createdAt),
    channel: r.channel ?? null,
    wording: r.wording ?? null,
    by: r.by,
    actor: r.actor,
  };
}

const transcriptItem = z.object({
  id: z.string(),
  author: z.string(),
  direction: z.string(),
  text: z.string(),
  at: nullableString,
});

const caseSummary = z.object({
  id: z.string(),
  number: z.string(),
  type: z.string(),
  subject: nullableString,
  status: z.string(),
  createdAt: nullableString,
});

const timelineItem = z.object({
  at: nullableString,
  action: z.string(),
  actor: z.string(),
  actorName: nullableString,
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

const leadFields = z.record(z.string(), z.unknown());

export const leadDetailResponse = z
  .object({
    lead: leadFields,
    consent: consentView.nullable(),
    transcript: z.array(transcriptItem),
    otherLeads: z.array(leadFields),
    cases: z.array(caseSummary),
    timeline: z.array(timelineItem),
  })
  .meta({ id: 'LeadDetail' });

export function leadDetailView(
  d: LeadDetail,
  leadView: (l: LeadDoc) => Record<string, unknown>,
): z.infer<typeof leadDetailResponse> {
  const consent = d.contact
    ? {
        granted: d.contact.marketingConsent?.granted === true,
        updatedAt: isoOrNull(d.contact.marketingConsent?.updatedAt),
        history: d.consentHistory.map(consentRecordView),
      }
    : null;
  return {
    lead: leadView(d.lead),
    consent,
    transcript: d.transcript.map((m) => ({
      id: m._id.toHexString(),
      author: m.author,
      direction: m.direction,
      text: m.text ?? '',
      at: isoOrNull((m as { createdAt?: Date }).createdAt),
    })),
    otherLeads: d.otherLeads.map(leadView),
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
