/**
 * The console's customers: a searchable list and the single customer view (every channel
 * identity, conversations, leads, cases, consent with its history, contacts merged into this
 * one). Read-only here: staff edits are edits.ts; merges and consent changes are written by
 * src/kernel/db/contacts.ts and audited there, which is where their history comes from.
 */
import type { ChannelId } from '../../kernel/contracts/messages.js';
import { escapeRegex, iso, summarise } from '../conversations/index.js';
import { AuditEntry } from '../../kernel/db/models/audit-entry.js';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import { contactValue } from '../value/index.js';
import { engagementOf } from './engagement.js';
import type { ContactSummary, ContactView } from './schemas.js';

export interface ContactQuery {
  q?: string;
  channel?: ChannelId;
  tag?: string;
  limit: number;
  offset: number;
}

export type { ContactSummary, ContactView };

const MAX_RELATED = 100;

type Stamped = { createdAt?: Date; updatedAt?: Date };

export function toContactSummary(c: ContactDoc): ContactSummary {
  return {
    id: c._id.toHexString(),
    name: c.name?.trim() || null,
    emails: c.emails ?? [],
    phones: c.phones ?? [],
    channels: [...new Set((c.identities ?? []).map((i) => i.channel))],
    tags: c.tags ?? [],
    locale: (c.locale as 'es' | 'en' | undefined) ?? null,
    marketingConsent: {
      granted: c.marketingConsent?.granted === true,
      updatedAt: iso(c.marketingConsent?.updatedAt),
    },
    createdAt: iso((c as Stamped).createdAt),
    updatedAt: iso((c as Stamped).updatedAt),
  };
}

export async function listContacts(
  query: ContactQuery,
): Promise<{ items: ContactSummary[]; total: number }> {
  // Merged-away and erased contacts are left out (an erased one is a tombstone, src/features/contacts/privacy).
  const filter: Record<string, unknown> = {
    mergedInto: { $exists: false },
    erasedAt: { $exists: false },
  };
  if (query.channel) filter['identities.channel'] = query.channel;
  if (query.tag) filter.tags = query.tag;
  const q = query.q?.trim();
  if (q) {
    const re = new RegExp(escapeRegex(q), 'i');
    filter.$or = [{ name: re }, { emails: re }, { phones: re }];
  }
  const [docs, total] = await Promise.all([
    Contact.find(filter)
      .sort({ updatedAt: -1, _id: -1 })
      .skip(query.offset)
      .limit(query.limit)
      .lean<ContactDoc[]>(),
    Contact.countDocuments(filter),
  ]);
  return { items: docs.map(toContactSummary), total };
}

interface AuditRow {
  action: string;
  actor: string;
  actorName?: string;
  targetId: string;
  details?: {
    into?: string;
    reason?: string;
    identities?: string[];
    undo?: unknown;
    undoneAt?: Date;
  };
  createdAt?: Date;
}

function leadView(l: LeadDoc): ContactView['leads'][number] {
  return {
    id: l._id.toHexString(),
    status: l.status,
    name: l.name ?? null,
    email: l.email ?? null,
    phone: l.phone ?? null,
    company: l.company ?? null,
    interest: l.interest ?? null,
    score: l.score ?? 0,
    channel: l.channel,
    conversationId: l.conversationId ? String(l.conversationId) : null,
    createdAt: iso((l as Stamped).createdAt),
  };
}

function caseView(k: CaseDoc): ContactView['cases'][number] {
  return {
    id: k._id.toHexString(),
    number: k.number,
    type: k.type,
    status: k.status,
    priority: k.priority,
    subject: k.subject ?? null,
    channel: k.channel ?? null,
    conversationId: k.conversationId ? String(k.conversationId) : null,
    createdAt: iso((k as Stamped).createdAt),
    exportPath:
      k.type === 'privacy' && k.contactId ? `/api/contacts/${String(k.contactId)}/export` : null,
  };
}

/** Contacts merged into `id` (audit `contact.merge`), and the consent changes of all of them. */
async function historyOf(
  id: string,
): Promise<Pick<ContactView, 'merges'> & { consent: AuditRow[] }> {
  const merges = await AuditEntry.find({
    action: { $in: ['contact.merge', 'contact.merge_undone'] },
    'details.into': id,
  })
    .sort({ createdAt: -1 })
    .lean<AuditRow[]>();
  const ids = [id, ...merges.filter((m) => !m.details?.undoneAt).map((m) => m.targetId)];
  const consent = await AuditEntry.find({
    action: { $in: ['consent.grant', 'consent.revoke'] },
    targetType: 'Contact',
    targetId: { $in: ids },
  })
    .sort({ createdAt: -1 })
    .limit(MAX_RELATED)
    .lean<AuditRow[]>();
  const names = new Map(
    (
      await Contact.find(
        { _id: { $in: merges.map((m) => m.targetId).filter((t) => /^[0-9a-f]{24}$/i.test(t)) } },
        { name: 1 },
      ).lean<{ _id: unknown; name?: string }[]>()
    ).map((c) => [String(c._id), c.name ?? null]),
  );
  return {
    merges: merges.map((m) => ({
      mergedId: m.targetId,
      mergedName: names.get(m.targetId) ?? null,
      at: iso(m.createdAt) ?? new Date(0).toISOString(),
      actor: m.actor,
      actorName: m.actorName ?? null,
      reason: m.details?.reason ?? null,
      channels: m.details?.identities ?? [],
      undoable: m.details?.undo !== undefined && !m.details?.undoneAt,
      undoneAt: iso(m.details?.undoneAt),
    })),
    consent,
  };
}

/** Custom fields as stored (a plain object of strings); anything else is left out. */
function stringFields(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

export async function contactView(id: string): Promise<ContactView | null> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return null;
  const contact = await Contact.findById(id).lean<ContactDoc>();
  if (!contact) return null;
  const [conversations, leads, cases, history, value] = await Promise.all([
    Conversation.find({ contactId: contact._id })
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(MAX_RELATED)
      .lean<ConversationDoc[]>(),
    Lead.find({ contactId: contact._id })
      .sort({ createdAt: -1 })
      .limit(MAX_RELATED)
      .lean<LeadDoc[]>(),
    Case.find({ contactId: contact._id })
      .sort({ createdAt: -1 })
      .limit(MAX_RELATED)
      .lean<CaseDoc[]>(),
    historyOf(id),
    contactValue(contact._id),
  ]);
  const summary = toContactSummary(contact);
  const engagement = await engagementOf(contact._id, { conversations, leads, cases }, MAX_RELATED);
  const erasedAt = (contact as { erasedAt?: Date }).erasedAt;
  return {
    contact: {
      ...summary,
      identities: (contact.identities ?? []).map((i) => ({
        channel: i.channel,
        platformUserId: i.platformUserId,
        displayName: i.displayName ?? null,
      })),
      mergedInto: contact.mergedInto ? String(contact.mergedInto) : null,
      notes: contact.notes ?? null,
      customFields: stringFields(contact.customFields),
      erasedAt: iso(erasedAt),
    },
    engagement,
    value,
    conversations: await summarise(conversations),
    leads: leads.map(leadView),
    cases: cases.map(caseView),
    consent: {
      marketing: summary.marketingConsent,
      history: history.consent.map((a) => ({
        action: a.action as 'consent.grant' | 'consent.revoke',
        at: iso(a.createdAt) ?? new Date(0).toISOString(),
        actor: a.actor,
      })),
    },
    merges: history.merges,
  };
}
