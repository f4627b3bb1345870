/**
 * One lead as the workspace's lead page shows it: its fields, the contact's consent, the
 * transcript of the conversation that produced it, the contact's other leads and cases, and the
 * activity timeline (created, then each staff change from the audit log with who and when).
 */
import { Types } from 'mongoose';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { AuditEntry } from '../../kernel/db/models/audit-entry.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import { listConsentRecords } from '../../kernel/db/contacts.js';
import type { ConsentRecordDoc } from '../../kernel/db/models/consent-record.js';
import { listConversationMessages } from '../../kernel/db/messages.js';

export interface TimelineEvent {
  at: Date;
  /** `lead.created`, `lead.update`, … */
  action: string;
  actor: string;
  actorName?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export interface LeadDetail {
  lead: LeadDoc;
  contact: ContactDoc | null;
  consentHistory: ConsentRecordDoc[];
  transcript: MessageDoc[];
  otherLeads: LeadDoc[];
  cases: CaseDoc[];
  timeline: TimelineEvent[];
}

const TIMELINE_LIMIT = 200;

export async function leadTimeline(lead: LeadDoc): Promise<TimelineEvent[]> {
  const entries = await AuditEntry.find({ targetType: 'Lead', targetId: lead._id.toHexString() })
    .sort({ createdAt: 1, _id: 1 })
    .limit(TIMELINE_LIMIT)
    .lean();
  const created: TimelineEvent = {
    at: (lead as { createdAt?: Date }).createdAt ?? lead._id.getTimestamp(),
    action: 'lead.created',
    actor: 'customer',
  };
  return [
    created,
    ...entries.map((e) => ({
      at: e.createdAt as Date,
      action: e.action,
      actor: e.actor,
      actorName: e.actorName ?? undefined,
      before: (e.before as Record<string, unknown> | undefined) ?? undefined,
      after: (e.after as Record<string, unknown> | undefined) ?? undefined,
    })),
  ];
}

export async function leadDetail(id: string): Promise<LeadDetail | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const lead = await Lead.findById(id).lean<LeadDoc>();
  if (!lead) return null;
  const contactId = lead.contactId;
  const [contact, consentHistory, transcript, otherLeads, cases, timeline] = await Promise.all([
    contactId ? Contact.findById(contactId).lean<ContactDoc>() : null,
    contactId ? listConsentRecords(contactId) : [],
    lead.conversationId ? listConversationMessages(lead.conversationId) : [],
    contactId
      ? Lead.find({ contactId, _id: { $ne: lead._id } })
          .sort({ createdAt: -1 })
          .limit(50)
          .lean<LeadDoc[]>()
      : [],
    contactId ? Case.find({ contactId }).sort({ createdAt: -1 }).limit(50).lean<CaseDoc[]>() : [],
    leadTimeline(lead),
  ]);
  return { lead, contact, consentHistory, transcript, otherLeads, cases, timeline };
}
