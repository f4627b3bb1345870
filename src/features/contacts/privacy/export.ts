/**
 * The right of access (GDPR art. 15): one JSON document with everything Charla holds about a
 * person — the contact (and contacts merged into it), identities, conversations with their
 * messages, leads, cases, orders, consent records, web chat sessions and the audit entries about them.
 * Secrets are left out (a web chat session's token hash).
 */
import { AuditEntry } from '../../../kernel/db/models/audit-entry.js';
import { Case } from '../../../kernel/db/models/case.js';
import { ConsentRecord } from '../../../kernel/db/models/consent-record.js';
import { Contact, ContactIdentity } from '../../../kernel/db/models/contact.js';
import { Conversation } from '../../../kernel/db/models/conversation.js';
import { Lead } from '../../../kernel/db/models/lead.js';
import { Message } from '../../../kernel/db/models/message.js';
import { Order } from '../../../kernel/db/models/order.js';
import { findChannelRecords, WEBCHAT_SESSIONS } from './channel-records.js';
import { auditTargetIds, findDataSubject } from './subject.js';

export type ExportedRecord = Record<string, unknown>;

export interface ContactExport {
  exportedAt: string;
  contactId: string;
  contact: ExportedRecord;
  mergedContacts: ExportedRecord[];
  identities: ExportedRecord[];
  conversations: Array<ExportedRecord & { messages: ExportedRecord[] }>;
  leads: ExportedRecord[];
  cases: ExportedRecord[];
  orders: ExportedRecord[];
  consentRecords: ExportedRecord[];
  webchatSessions: ExportedRecord[];
  auditEntries: ExportedRecord[];
}

/** ObjectIds to hex strings, dates to ISO strings: the document as JSON has it. */
const plain = <T>(docs: T): ExportedRecord[] =>
  JSON.parse(JSON.stringify(docs)) as ExportedRecord[];

/** The export of contact `id`, or undefined when there is no such contact. */
export async function exportContact(
  id: string,
  now: () => Date = () => new Date(),
): Promise<ContactExport | undefined> {
  const subject = await findDataSubject(id);
  if (!subject) return undefined;
  const owned = { contactId: { $in: subject.contactIds } };
  const [
    contacts,
    identities,
    conversations,
    messages,
    leads,
    cases,
    orders,
    consent,
    sessions,
    audit,
  ] = await Promise.all([
    Contact.find({ _id: { $in: subject.contactIds } }).lean(),
    ContactIdentity.find(owned).lean(),
    Conversation.find({ _id: { $in: subject.conversationIds } })
      .sort({ createdAt: 1 })
      .lean(),
    Message.find({
      $or: [{ conversationId: { $in: subject.conversationIds } }, owned],
    })
      .sort({ createdAt: 1, _id: 1 })
      .lean(),
    Lead.find(owned).sort({ createdAt: 1 }).lean(),
    Case.find(owned).sort({ createdAt: 1 }).lean(),
    Order.find(owned).sort({ placedAt: 1 }).lean(),
    ConsentRecord.find(owned).sort({ createdAt: 1 }).lean(),
    findChannelRecords(WEBCHAT_SESSIONS, subject.contactIds),
    AuditEntry.find({ targetId: { $in: auditTargetIds(subject) } })
      .sort({ createdAt: 1 })
      .lean(),
  ]);
  const byConversation = new Map<string, ExportedRecord[]>();
  for (const m of plain(messages)) {
    const key = String(m.conversationId);
    byConversation.set(key, [...(byConversation.get(key) ?? []), m]);
  }
  const [contact, ...mergedContacts] = plain(
    subject.contactIds.map((cid) => contacts.find((c) => c._id.equals(cid))).filter(Boolean),
  );
  return {
    exportedAt: now().toISOString(),
    contactId: id,
    contact: contact ?? {},
    mergedContacts,
    identities: plain(identities),
    conversations: plain(conversations).map((c) => ({
      ...c,
      messages: byConversation.get(String(c._id)) ?? [],
    })),
    leads: plain(leads),
    cases: plain(cases),
    orders: plain(orders),
    consentRecords: plain(consent),
    webchatSessions: plain(sessions),
    auditEntries: plain(audit),
  };
}
