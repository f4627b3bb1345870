/**
 * What the cases API shows: a case with its SLA state at a given moment (list rows), and the
 * case page (customer, conversation transcript, internal notes, timeline, CSAT).
 */
import { Types } from 'mongoose';
import {
  customerName,
  customerNames,
  toContactCard,
  toMessageView,
} from '../conversations/index.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { listConversationMessages } from '../../kernel/db/messages.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import type { ChannelId } from '../../kernel/contracts/messages.js';
import type { CaseDoc } from '../../kernel/db/models/case.js';
import { caseSlaAt, type TargetState } from '../../kernel/time/sla.js';
import type { CaseDetail, CaseEventView, CaseSummary, TargetView } from './schemas.js';

const iso = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;

export type { CaseDetail, CaseEventView, CaseSummary, TargetView };

const targetView = (t: TargetState): TargetView => ({
  dueAt: iso(t.dueAt),
  state: t.state,
  metAt: iso(t.metAt),
});

type Stamped = CaseDoc & { createdAt?: Date; updatedAt?: Date };

export function caseSummary(
  c: CaseDoc,
  now: Date,
  contact?: Pick<ContactDoc, 'name'> | null,
): CaseSummary {
  const sla = caseSlaAt(c, now);
  const s = c as Stamped;
  return {
    id: c._id.toHexString(),
    number: c.number,
    type: c.type,
    subject: c.subject ?? null,
    description: c.description ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    preferredTime: c.preferredTime ?? null,
    status: c.status,
    priority: c.priority,
    channel: (c.channel as ChannelId | undefined) ?? null,
    contactId: c.contactId?.toHexString() ?? null,
    conversationId: c.conversationId?.toHexString() ?? null,
    contact: c.contactId
      ? { id: c.contactId.toHexString(), name: contact?.name?.trim() || null }
      : null,
    assignee: c.assignee?.id ? { id: c.assignee.id, name: c.assignee.name ?? null } : null,
    sla: {
      state: sla.state,
      firstResponse: targetView(sla.firstResponse),
      resolution: targetView(sla.resolution),
      nextDueAt: iso(sla.nextDueAt),
    },
    csat: c.csat
      ? {
          rating: c.csat.rating ?? null,
          requestedAt: iso(c.csat.requestedAt),
          at: iso(c.csat.at),
        }
      : null,
    resolvedAt: iso(c.resolvedAt),
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

/** List rows: the cases with their customers' names (contact, lead or email; ≤ 2 queries). */
export async function caseSummaries(cases: CaseDoc[], now: Date): Promise<CaseSummary[]> {
  const names = await customerNames(cases.flatMap((c) => c.contactId?.toHexString() ?? []));
  return cases.map((c) =>
    caseSummary(c, now, { name: names.get(c.contactId?.toHexString() ?? '') ?? null }),
  );
}

const person = (p: { id?: string | null; name?: string | null } | null | undefined) =>
  p?.id ? { id: p.id, name: p.name ?? null } : null;

export async function caseDetail(c: CaseDoc, now: Date): Promise<CaseDetail> {
  const [contact, conversation] = await Promise.all([
    c.contactId ? Contact.findById(c.contactId).lean<ContactDoc>() : null,
    c.conversationId ? findConversation(c.conversationId) : null,
  ]);
  const messages = conversation
    ? await listConversationMessages(conversation._id, { includeInternal: true })
    : [];
  const created = (c as Stamped).createdAt;
  const name = await customerName(contact);
  return {
    ...caseSummary(c, now, { name }),
    customer: c.contactId ? { ...toContactCard(contact, c.contactId), name } : null,
    conversation: conversation
      ? {
          id: conversation._id.toHexString(),
          channel: conversation.channel,
          status: conversation.status,
          locale: conversation.locale ?? null,
        }
      : null,
    messages: messages.map(toMessageView),
    notes: (c.notes ?? []).map((n) => ({
      id: String((n as { _id?: Types.ObjectId })._id ?? ''),
      text: n.text,
      by: person(n.by),
      at: iso(n.at) ?? '',
    })),
    timeline: [
      ...(created ? [{ at: iso(created)!, kind: 'opened', by: null, from: null, to: null }] : []),
      ...(c.timeline ?? []).map((e) => ({
        at: iso(e.at) ?? '',
        kind: e.kind,
        by: person(e.by),
        from: e.from ?? null,
        to: e.to ?? null,
      })),
    ],
  };
}
