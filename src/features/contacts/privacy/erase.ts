/**
 * The right to erasure (GDPR art. 17): a contact's messages, conversations, leads, cases and
 * orders lose every personal field (src/features/contacts/privacy/redact.ts); identities, consent records and web chat sessions
 * are deleted; audit entries about them keep who/what/when but lose their before/after; the
 * contact becomes a tombstone (`erasedAt`). Open-conversation keys and ingest's route cache are
 * dropped, so the next message from the same platform identity starts a fresh, unlinked
 * contact. Finished inbound jobs (which carry the message text for an hour) are removed.
 *
 * Records stay where analytics counts them (message and conversation documents with channel,
 * direction, NLU intent and dates), so aggregates do not change. Each conversation is rewritten
 * under its Redis lock, so the engine never writes an old copy back. The tombstone is written
 * last: an erase cut short is simply run again; a finished one is a no-op.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import type { ConversationLock } from '../../../kernel/redis/conversation-lock.js';
import type { InboundJob } from '../../../pipeline/queues/inbound.js';
import { forgetRoute } from '../../../pipeline/queues/route-cache.js';
import { AuditEntry } from '../../../kernel/db/models/audit-entry.js';
import { Case } from '../../../kernel/db/models/case.js';
import { ConsentRecord } from '../../../kernel/db/models/consent-record.js';
import { Contact, ContactIdentity } from '../../../kernel/db/models/contact.js';
import { Conversation } from '../../../kernel/db/models/conversation.js';
import { replaceWithRedacted } from '../../../kernel/db/conversation-state.js';
import { Lead } from '../../../kernel/db/models/lead.js';
import { Message } from '../../../kernel/db/models/message.js';
import { Order } from '../../../kernel/db/models/order.js';
import { OpenConversation } from '../../../kernel/db/models/open-conversation.js';
import {
  contactTombstone,
  redactCase,
  redactConversation,
  redactLead,
  redactMessage,
  redactOrder,
} from './redact.js';
import { deleteChannelRecords, WEBCHAT_SESSIONS } from './channel-records.js';
import { auditTargetIds, findDataSubject, type DataSubject } from './subject.js';
import { dropWebhookJobs } from './webhook-jobs.js';

export interface EraseDeps {
  redis: Redis;
  /** QUEUE_PREFIX: where the route cache lives. */
  prefix: string;
  lock: ConversationLock;
  inboundQueue: Queue<InboundJob>;
  /** Webhooks out: deliveries carry lead/case data on their jobs (src/features/contacts/privacy/webhook-jobs.ts). */
  webhookQueue?: Queue;
  now?: () => Date;
}

/** How many records an erase touched: counts only, nothing personal (it goes to the audit log). */
export interface EraseCounts {
  contacts: number;
  conversations: number;
  messages: number;
  leads: number;
  cases: number;
  orders: number;
  identities: number;
  consentRecords: number;
  webchatSessions: number;
  auditEntries: number;
  webhookJobs: number;
}

export type EraseResult =
  | { status: 'not_found' }
  | { status: 'already_erased'; erasedAt: Date }
  | { status: 'erased'; erasedAt: Date; counts: EraseCounts };

type Doc = Record<string, unknown> & { _id: Types.ObjectId };

async function replaceAll(
  collection: { replaceOne(filter: object, doc: object): Promise<unknown> },
  docs: Doc[],
  redact: (doc: Doc, at: Date) => Record<string, unknown>,
  at: Date,
): Promise<number> {
  for (const doc of docs) await collection.replaceOne({ _id: doc._id }, redact(doc, at));
  return docs.length;
}

async function eraseConversations(subject: DataSubject, deps: EraseDeps, at: Date) {
  let count = 0;
  for (const id of subject.conversationIds) {
    await deps.lock(String(id), async () => {
      const doc = (await Conversation.collection.findOne({ _id: id })) as Doc | null;
      if (!doc) return;
      const channel = String(doc.channel);
      const platformConversationId = String(doc.platformConversationId);
      await OpenConversation.deleteOne({ _id: `${channel}:${platformConversationId}` });
      await OpenConversation.deleteMany({ conversationId: id });
      await forgetRoute(deps.redis, deps.prefix, channel, platformConversationId);
      await replaceWithRedacted(id, redactConversation(doc, at));
      count += 1;
    });
  }
  return count;
}

async function eraseMessages(subject: DataSubject, deps: EraseDeps, at: Date) {
  const docs = (await Message.collection
    .find({
      $or: [
        { conversationId: { $in: subject.conversationIds } },
        { contactId: { $in: subject.contactIds } },
      ],
    })
    .toArray()) as Doc[];
  await replaceAll(Message.collection, docs, redactMessage, at);
  for (const doc of docs) {
    if (doc.direction !== 'in') continue;
    const job = await deps.inboundQueue.getJob(String(doc._id));
    if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove();
  }
  return docs.length;
}

async function findAll(
  model: { collection: { find(f: object): { toArray(): Promise<unknown[]> } } },
  ids: Types.ObjectId[],
) {
  return (await model.collection.find({ _id: { $in: ids } }).toArray()) as Doc[];
}

async function eraseSubject(subject: DataSubject, deps: EraseDeps, at: Date): Promise<EraseCounts> {
  const owned = { contactId: { $in: subject.contactIds } };
  const conversations = await eraseConversations(subject, deps, at);
  const messages = await eraseMessages(subject, deps, at);
  const leads = await replaceAll(
    Lead.collection,
    await findAll(Lead, subject.leadIds),
    redactLead,
    at,
  );
  const cases = await replaceAll(
    Case.collection,
    await findAll(Case, subject.caseIds),
    redactCase,
    at,
  );
  const orders = await replaceAll(
    Order.collection,
    (await Order.collection.find(owned).toArray()) as Doc[],
    redactOrder,
    at,
  );
  const identities = (await ContactIdentity.deleteMany(owned)).deletedCount;
  const consentRecords = (await ConsentRecord.deleteMany(owned)).deletedCount;
  const webchatSessions = await deleteChannelRecords(WEBCHAT_SESSIONS, subject.contactIds);
  const webhookJobs = deps.webhookQueue ? await dropWebhookJobs(deps.webhookQueue, subject) : 0;
  const audit = await AuditEntry.collection.updateMany(
    { targetId: { $in: auditTargetIds(subject) } },
    { $unset: { before: '', after: '', details: '' } },
  );
  const contacts = await findAll(Contact, subject.contactIds);
  // The subject's own contact last: its erasedAt marks the whole erase as done.
  const ordered = [
    ...contacts.filter((c) => !c._id.equals(subject.contactId)),
    ...contacts.filter((c) => c._id.equals(subject.contactId)),
  ];
  await replaceAll(Contact.collection, ordered, contactTombstone, at);
  return {
    contacts: contacts.length,
    conversations,
    messages,
    leads,
    cases,
    orders,
    identities,
    consentRecords,
    webchatSessions,
    auditEntries: audit.modifiedCount,
    webhookJobs,
  };
}

/** Erases contact `id` (and the contacts merged into it); a second call changes nothing. */
export async function eraseContact(id: string, deps: EraseDeps): Promise<EraseResult> {
  const subject = await findDataSubject(id);
  if (!subject) return { status: 'not_found' };
  const current = await Contact.collection.findOne({ _id: subject.contactId });
  if (current?.erasedAt instanceof Date)
    return { status: 'already_erased', erasedAt: current.erasedAt };
  const erasedAt = (deps.now ?? (() => new Date()))();
  const counts = await eraseSubject(subject, deps, erasedAt);
  return { status: 'erased', erasedAt, counts };
}
