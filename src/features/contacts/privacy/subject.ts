/**
 * The data subject of a privacy request: a contact and every contact merged into it (a merge
 * leaves the merged-away contact behind with `mergedInto`), and the ids of what they own.
 * Export and erasure both start from here, so they always cover the same records.
 */
import { Types } from 'mongoose';
import { Case } from '../../../kernel/db/models/case.js';
import { Contact } from '../../../kernel/db/models/contact.js';
import { Conversation } from '../../../kernel/db/models/conversation.js';
import { Lead } from '../../../kernel/db/models/lead.js';

export interface DataSubject {
  contactId: Types.ObjectId;
  /** The contact itself first, then the contacts merged into it (transitively). */
  contactIds: Types.ObjectId[];
  conversationIds: Types.ObjectId[];
  leadIds: Types.ObjectId[];
  caseIds: Types.ObjectId[];
}

const MAX_MERGE_DEPTH = 20;

/** The subject of contact `id`, or undefined when there is no such contact. */
export async function findDataSubject(id: string): Promise<DataSubject | undefined> {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) return undefined;
  const contactId = new Types.ObjectId(id);
  const exists = await Contact.exists({ _id: contactId });
  if (!exists) return undefined;
  const contactIds = [contactId];
  let frontier = [contactId];
  for (let depth = 0; depth < MAX_MERGE_DEPTH && frontier.length > 0; depth += 1) {
    const merged = await Contact.find({ mergedInto: { $in: frontier } }, { _id: 1 }).lean();
    frontier = merged.map((c) => c._id).filter((m) => !contactIds.some((k) => k.equals(m)));
    contactIds.push(...frontier);
  }
  const owned = { contactId: { $in: contactIds } };
  const [conversations, leads, cases] = await Promise.all([
    Conversation.find(owned, { _id: 1 }).lean(),
    Lead.find(owned, { _id: 1 }).lean(),
    Case.find(owned, { _id: 1 }).lean(),
  ]);
  return {
    contactId,
    contactIds,
    conversationIds: conversations.map((c) => c._id),
    leadIds: leads.map((l) => l._id),
    caseIds: cases.map((c) => c._id),
  };
}

/** Every id the subject's audit entries may target (contacts, conversations, leads, cases). */
export function auditTargetIds(subject: DataSubject): string[] {
  return [
    ...subject.contactIds,
    ...subject.conversationIds,
    ...subject.leadIds,
    ...subject.caseIds,
  ].map(String);
}
