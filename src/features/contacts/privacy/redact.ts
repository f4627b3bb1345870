/**
 * What an erased person's records keep: an allow-list per collection of the fields that carry no
 * personal data (ids, channel, direction, status, timestamps, NLU results) — what analytics
 * counts. Everything else (names, emails, phones, texts, attachments, platform ids, notes, any
 * field added later) is dropped, because only listed fields survive.
 */
type Doc = Record<string, unknown> & { _id: unknown };

function keep(doc: Doc, fields: readonly string[]): Doc {
  const out: Doc = { _id: doc._id };
  for (const f of fields) if (doc[f] !== undefined) out[f] = doc[f];
  return out;
}

const MESSAGE_FIELDS = [
  'conversationId',
  'contactId',
  'channel',
  'direction',
  'author',
  'internal',
  'replyTo',
  'awaiting',
  'status',
  'attempts',
  'nlu',
  'sentiment',
  'staff',
  // What the message answered (a slot, a rating, a clarifying question) and the intent picked:
  // no text, and analytics counts the message by them (a clarified message is understood).
  'answerTo',
  'clarified',
  'createdAt',
  'updatedAt',
] as const;

/** A message without its text, attachments, quick replies, platform id or error. */
export function redactMessage(doc: Doc, erasedAt: Date): Doc {
  return {
    ...keep(doc, MESSAGE_FIELDS),
    text: '',
    dedupeKey: `erased:${String(doc._id)}`,
    erasedAt,
  };
}

const CONVERSATION_FIELDS = [
  'contactId',
  'channel',
  'status',
  'statusHistory',
  'locale',
  'fallbackCount',
  'intentsSeen',
  'lastMessageAt',
  'lastIntent',
  'lastTurn',
  'assignee',
  // Scores and the priority they raised: numbers and dates, no text (docs/ARCHITECTURE.md).
  'sentiment',
  'priority',
  'createdAt',
  'updatedAt',
] as const;

const ESCALATION_FIELDS = ['reason', 'queuedAt', 'assignedAt', 'closedAt', 'afterHours'] as const;

/**
 * A conversation without platform ids, reply context, last text or captured flow slots, closed
 * (so no message is ever routed to it again).
 */
export function redactConversation(doc: Doc, erasedAt: Date): Doc {
  const out = keep(doc, CONVERSATION_FIELDS);
  out.platformConversationId = `erased:${String(doc._id)}`;
  out.platformUserId = 'erased';
  out.flow = null;
  out.suspendedFlow = null;
  out.erasedAt = erasedAt;
  const escalation = doc.escalation as Doc | undefined;
  if (escalation) out.escalation = keep(escalation, ESCALATION_FIELDS);
  if (doc.status !== 'closed') {
    out.status = 'closed';
    const history = Array.isArray(doc.statusHistory) ? doc.statusHistory : [];
    out.statusHistory = [
      ...history,
      { status: 'closed', at: erasedAt, by: 'system', reason: 'erased' },
    ];
  }
  return out;
}

const LEAD_FIELDS = [
  'contactId',
  'conversationId',
  'status',
  'score',
  'channel',
  'owner',
  'createdAt',
  'updatedAt',
] as const;

/** A lead that still counts in the funnel (status, channel, dates) and names no one. */
export function redactLead(doc: Doc, erasedAt: Date): Doc {
  return { ...keep(doc, LEAD_FIELDS), erasedAt };
}

const CASE_FIELDS = [
  'number',
  'contactId',
  'conversationId',
  'type',
  'status',
  'priority',
  'channel',
  'assignee',
  'firstResponseDueAt',
  'resolutionDueAt',
  'firstRespondedAt',
  'resolvedAt',
  'csat',
  'createdAt',
  'updatedAt',
] as const;

/** A case without subject, description, email, phone, preferred time or notes. */
export function redactCase(doc: Doc, erasedAt: Date): Doc {
  return { ...keep(doc, CASE_FIELDS), erasedAt };
}

const ORDER_FIELDS = [
  'externalId',
  'number',
  'contactId',
  'placedAt',
  'amount',
  'currency',
  'baseAmount',
  'status',
  'history',
  'createdAt',
  'updatedAt',
] as const;

/** An order that still counts in revenue and value, without email, items or tracking link. */
export function redactOrder(doc: Doc, erasedAt: Date): Doc {
  return { ...keep(doc, ORDER_FIELDS), erasedAt };
}

/** The contact's tombstone: it exists (ids elsewhere point to it) and holds nothing personal. */
export function contactTombstone(doc: Doc, erasedAt: Date): Doc {
  return {
    ...keep(doc, ['createdAt']),
    identities: [],
    emails: [],
    phones: [],
    tags: [],
    marketingConsent: { granted: false, updatedAt: erasedAt },
    erasedAt,
    updatedAt: erasedAt,
  };
}
