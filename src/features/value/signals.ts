/**
 * What Charla sees of a customer that the orders do not say (churn.ts weighs it), over the last
 * SIGNAL_DAYS days:
 * - open cases: open or pending now; reopened: one of those whose timeline moved it from
 *   resolved/closed back to open/pending;
 * - frustrated: a conversation marked frustrated (two negative messages in a row,
 *   `Conversation.sentiment.frustratedAt`, src/pipeline/insight/trend.ts) in the window;
 * - unanswered questions: the customer's messages the bot fell back on (no intent; not an answer
 *   to the bot's own question) in the window, plus conversations waiting for a person now.
 *
 * `installSignals` reads them for every contact at once (cases by their status index, the
 * window's conversations and messages, at most MAX_MESSAGES fallbacks); `contactSignals` for
 * one contact by its own ids.
 */
import type { Types } from 'mongoose';
import { Case } from '../../kernel/db/models/case.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { Message } from '../../kernel/db/models/message.js';
import { NO_SIGNALS, SIGNAL_DAYS, type CustomerSignals } from './churn.js';

const OPEN: Array<'open' | 'pending'> = ['open', 'pending'];
const DONE: readonly string[] = ['resolved', 'closed'];
const MAX_MESSAGES = 50_000;

type Id = Types.ObjectId | string;
interface CaseRow {
  contactId?: Id | null;
  timeline?: Array<{ kind?: string; from?: string; to?: string }>;
}

const wasReopened = (c: CaseRow) =>
  (c.timeline ?? []).some(
    (e) =>
      e.kind === 'status' && DONE.includes(e.from ?? '') && (OPEN as string[]).includes(e.to ?? ''),
  );

function fold(
  cases: CaseRow[],
  frustrated: Array<{ contactId?: Id | null }>,
  waiting: Array<{ contactId?: Id | null }>,
  fallbacks: Array<{ contactId?: Id | null }>,
): Map<string, CustomerSignals> {
  const out = new Map<string, CustomerSignals>();
  const of = (id: Id | null | undefined) => {
    const key = String(id);
    let s = out.get(key);
    if (!s) out.set(key, (s = { ...NO_SIGNALS }));
    return s;
  };
  for (const c of cases) {
    if (!c.contactId) continue;
    const s = of(c.contactId);
    s.openCases++;
    if (wasReopened(c)) s.reopenedCases++;
  }
  for (const c of frustrated) if (c.contactId) of(c.contactId).frustrated = true;
  for (const c of [...waiting, ...fallbacks]) if (c.contactId) of(c.contactId).unanswered++;
  return out;
}

const since = (now: Date) => new Date(now.getTime() - SIGNAL_DAYS * 86_400_000);
const fallbackFilter = (now: Date) => ({
  direction: 'in' as const,
  'nlu.intent': null,
  'nlu.confidence': { $exists: true },
  answerTo: { $exists: false },
  createdAt: { $gte: since(now) },
});

export async function installSignals(now = new Date()): Promise<Map<string, CustomerSignals>> {
  const [cases, frustrated, waiting, fallbacks] = await Promise.all([
    Case.find({ status: { $in: OPEN } }, { contactId: 1, timeline: 1 }).lean<CaseRow[]>(),
    Conversation.find({ 'sentiment.frustratedAt': { $gte: since(now) } }, { contactId: 1 }).lean(),
    Conversation.find({ status: 'queued' }, { contactId: 1 }).lean(),
    Message.find(fallbackFilter(now), { contactId: 1 }).limit(MAX_MESSAGES).lean(),
  ]);
  return fold(cases, frustrated, waiting, fallbacks);
}

export async function contactSignals(contactId: Id, now = new Date()): Promise<CustomerSignals> {
  const [cases, frustrated, waiting, fallbacks] = await Promise.all([
    Case.find({ contactId, status: { $in: OPEN } }, { contactId: 1, timeline: 1 }).lean<
      CaseRow[]
    >(),
    Conversation.find(
      { contactId, 'sentiment.frustratedAt': { $gte: since(now) } },
      { contactId: 1 },
    ).lean(),
    Conversation.find({ contactId, status: 'queued' }, { contactId: 1 }).lean(),
    Message.find({ ...fallbackFilter(now), contactId }, { contactId: 1 })
      .limit(100)
      .lean(),
  ]);
  return fold(cases, frustrated, waiting, fallbacks).get(String(contactId)) ?? { ...NO_SIGNALS };
}
