/**
 * What one conversation contributes to analytics, computed from its own records — the
 * conversation, its messages, its leads and cases — so computing it again gives the same answer:
 * a replayed engine turn (whose replies have deterministic ids and whose inbound message is
 * stored once) cannot be counted twice, and an erased conversation (redact.ts keeps channel,
 * locale, status history, directions, authors, NLU intents and dates) counts the same.
 */
import type { Types } from 'mongoose';
import { Case } from '../../kernel/db/models/case.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { Lead } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { ANALYTICS_CHANNELS, dayOf, zeroCounts, type Counts } from './definitions.js';

export interface Contribution extends Counts {
  _id: Types.ObjectId;
  day: string;
  channel: string;
  language: string;
  queueWaits: number[];
  firstReplies: number[];
  intents: Array<{ intent: string; count: number }>;
  unanswered: Types.ObjectId[];
}

interface HistoryEntry {
  status: string;
  at: Date;
}
interface MessageFacts {
  _id: Types.ObjectId;
  direction: string;
  author: string;
  internal?: boolean;
  status: string;
  nlu?: { intent?: string | null } | null;
  awaiting?: { flow?: string; slot?: string } | null;
  /** Marked by its turn: an answer to the bot (slot, rating, button, clarification). */
  answerTo?: string | null;
  /** An answer to a clarifying question: the message asked about and the intent picked. */
  clarified?: { of?: Types.ObjectId | null; intent?: string | null } | null;
  createdAt: Date;
}
interface CaseFacts {
  status?: string;
  csat?: unknown;
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((+to - +from) / 1000));

/** A CSAT rating 1–5 however the case stores it (a number, or {rating} / {score}). */
export function csatRating(csat: unknown): number | undefined {
  const v =
    typeof csat === 'number'
      ? csat
      : csat && typeof csat === 'object'
        ? ((csat as { rating?: unknown; score?: unknown }).rating ??
          (csat as { score?: unknown }).score)
        : undefined;
  return typeof v === 'number' && v >= 1 && v <= 5 ? v : undefined;
}

/** Queue waits (queued → assigned) and first staff replies (queued → first staff reply). */
function handOverTimes(history: HistoryEntry[], staffReplies: Date[]) {
  const queueWaits: number[] = [];
  const firstReplies: number[] = [];
  let queuedAt: Date | undefined;
  history.forEach((h, i) => {
    if (h.status === 'queued') queuedAt = new Date(h.at);
    if (h.status === 'assigned' && queuedAt) queueWaits.push(seconds(queuedAt, new Date(h.at)));
    if (h.status !== 'queued' || !queuedAt) return;
    const next = history.slice(i + 1).find((n) => n.status === 'queued' || n.status === 'bot');
    const reply = staffReplies.find((r) => r >= queuedAt! && (!next || r < new Date(next.at)));
    if (reply) firstReplies.push(seconds(queuedAt, reply));
  });
  return { queueWaits, firstReplies };
}

/**
 * Message counts, intents and unanswered ids. An answer to a flow's question (the bot's
 * previous reply asked for a slot: `awaiting`) is read by the bot but is no question of its own:
 * neither its NLU guess nor its lack of intent counts. Nor is a message its turn marked as an
 * answer to the bot (`answerTo`: a rating, a button pick, a clarification) ever unanswered. A
 * message the bot asked about (a clarifying question) counts as understood, with the intent the
 * customer picked, only when an answer picked one; the answer itself counts for nothing.
 */
function messageCounts(messages: MessageFacts[], c: Contribution): Date[] {
  const intents = new Map<string, number>();
  const staffReplies: Date[] = [];
  const picked = new Map<string, string>();
  for (const m of messages) {
    if (m.clarified?.of && m.clarified.intent)
      picked.set(String(m.clarified.of), m.clarified.intent);
  }
  let asked = false;
  for (const m of messages) {
    if (m.direction === 'in') {
      c.messagesIn++;
      if (m.status !== 'processed' || !m.nlu) continue;
      c.botMessagesIn++;
      if (asked || m.answerTo === 'clarification') continue;
      const intent = m.nlu.intent ?? picked.get(m._id.toHexString()) ?? null;
      if (intent) intents.set(intent, (intents.get(intent) ?? 0) + 1);
      else if (!m.answerTo) {
        c.noIntent++;
        c.unanswered.push(m._id);
      }
    } else if (!m.internal) {
      c.messagesOut++;
      asked = Boolean(m.awaiting?.slot);
      if (m.author === 'staff') staffReplies.push(new Date(m.createdAt));
    }
  }
  c.intents = [...intents].map(([intent, count]) => ({ intent, count }));
  return staffReplies.sort((a, b) => +a - +b);
}

/**
 * The conversation's contribution, or undefined when it does not count (gone, studio sandbox).
 * Reads the conversation by `_id`, its messages and cases by indexed `conversationId`, its leads
 * by indexed `contactId` (a lead names the conversation that captured it).
 */
export async function computeContribution(id: Types.ObjectId): Promise<Contribution | undefined> {
  const conv = await Conversation.findById(id, {
    channel: 1,
    locale: 1,
    contactId: 1,
    statusHistory: 1,
    createdAt: 1,
  }).lean<{
    _id: Types.ObjectId;
    channel: string;
    locale?: string;
    contactId: Types.ObjectId;
    statusHistory?: HistoryEntry[];
    createdAt: Date;
  }>();
  if (!conv || !(ANALYTICS_CHANNELS as readonly string[]).includes(conv.channel)) return undefined;
  const [messages, cases, leads] = await Promise.all([
    Message.find(
      { conversationId: id },
      {
        direction: 1,
        author: 1,
        internal: 1,
        status: 1,
        nlu: 1,
        awaiting: 1,
        answerTo: 1,
        clarified: 1,
        createdAt: 1,
      },
    ).lean<MessageFacts[]>(),
    Case.find({ conversationId: id }, { status: 1, csat: 1 }).lean<CaseFacts[]>(),
    Lead.find({ contactId: conv.contactId }, { status: 1, conversationId: 1 }).lean<
      Array<{ status?: string; conversationId?: Types.ObjectId }>
    >(),
  ]);
  const c: Contribution = {
    _id: id,
    day: dayOf(new Date(conv.createdAt)),
    channel: conv.channel,
    language: conv.locale === 'en' ? 'en' : 'es',
    ...zeroCounts(),
    conversations: 1,
    queueWaits: [],
    firstReplies: [],
    intents: [],
    unanswered: [],
  };
  messages.sort(
    (a, b) =>
      +new Date(a.createdAt) - +new Date(b.createdAt) ||
      a._id.toHexString().localeCompare(b._id.toHexString()),
  );
  const staffReplies = messageCounts(messages, c);
  const history = conv.statusHistory ?? [];
  c.escalated = history.some((h) => h.status === 'queued' || h.status === 'assigned') ? 1 : 0;
  Object.assign(c, handOverTimes(history, staffReplies));
  for (const l of leads.filter((l) => l.conversationId?.equals(id))) {
    c.leads++;
    if (l.status === 'qualified' || l.status === 'won') c.qualifiedLeads++;
    if (l.status === 'won') c.wonLeads++;
  }
  for (const k of cases) {
    c.cases++;
    if (k.status === 'resolved' || k.status === 'closed') c.casesResolved++;
    const rating = csatRating(k.csat);
    if (rating !== undefined) {
      c.csatSum += rating;
      c.csatResponses++;
    }
  }
  return c;
}
