/**
 * What each analytics figure means (docs/console-api.md repeats these; the console shows them
 * as help text). Figures are attributed to the UTC day a conversation started, its channel and
 * its language (the conversation's locale), so a day's numbers are one cohort of conversations.
 *
 * - conversations: conversations started (studio sandbox chats never count).
 * - messagesIn / messagesOut: customer messages / messages to the customer (bot and staff
 *   replies, system notices; staff-only notes excluded).
 * - containmentRate: contained conversations / conversations, where *contained* = ended (or is
 *   still going) without a person: never handed to the staff queue.
 * - fallbackRate: inbound messages the bot read with no intent / inbound messages the bot read.
 *   Messages relayed to a person while one owns the conversation are not read by the bot; an
 *   answer to a flow's question (a name, an email) is read but is no question, so it never
 *   counts as "no intent" (nor in topIntents).
 * - escalationRate: conversations that reached a person (queued for or assigned to staff) /
 *   conversations; containmentRate + escalationRate = 1.
 * - medianQueueWaitSeconds: median time from queued to assigned, over every hand-over.
 * - medianFirstStaffReplySeconds: median time from queued to the first staff reply after it.
 * - leads / qualifiedLeads / wonLeads: leads from those conversations; qualified = status
 *   qualified or won (won leads were qualified first), won = status won.
 * - cases / casesResolved: cases from those conversations; resolved = status resolved or closed.
 * - csatAverage / csatResponses: mean of the cases' CSAT ratings (1–5) and how many were given.
 */
import { ANALYTICS_METRICS, type AnalyticsMetric } from '../../kernel/vocabulary.js';

export { ANALYTICS_CHANNELS, type AnalyticsChannel } from '../../kernel/vocabulary.js';
export const ANALYTICS_LANGUAGES = ['es', 'en'] as const;
export type AnalyticsLanguage = (typeof ANALYTICS_LANGUAGES)[number];

/** Plain counts a conversation contributes and a day cell sums. */
export const COUNT_FIELDS = [
  'conversations',
  'messagesIn',
  'messagesOut',
  'botMessagesIn',
  'noIntent',
  'escalated',
  'leads',
  'qualifiedLeads',
  'wonLeads',
  'cases',
  'casesResolved',
  'csatSum',
  'csatResponses',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];
export type Counts = Record<CountField, number>;

export const zeroCounts = (): Counts =>
  Object.fromEntries(COUNT_FIELDS.map((f) => [f, 0])) as Counts;

/** The scalar figures of a summary, each also a time series metric (src/kernel/vocabulary.ts). */
export const METRICS = ANALYTICS_METRICS;
export type Metric = AnalyticsMetric;
export type Figures = Record<Metric, number | null>;

/** A day's (or range's) sums with the raw durations the medians need. */
export interface Totals extends Counts {
  queueWaits: number[];
  firstReplies: number[];
  intents: Map<string, number>;
}

export const emptyTotals = (): Totals => ({
  ...zeroCounts(),
  queueWaits: [],
  firstReplies: [],
  intents: new Map(),
});

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

/** The reported figures of some totals (rates are null when their denominator is 0). */
export function figuresOf(t: Totals): Figures {
  return {
    conversations: t.conversations,
    messagesIn: t.messagesIn,
    messagesOut: t.messagesOut,
    containmentRate: ratio(t.conversations - t.escalated, t.conversations),
    fallbackRate: ratio(t.noIntent, t.botMessagesIn),
    escalationRate: ratio(t.escalated, t.conversations),
    medianQueueWaitSeconds: median(t.queueWaits),
    medianFirstStaffReplySeconds: median(t.firstReplies),
    leads: t.leads,
    qualifiedLeads: t.qualifiedLeads,
    wonLeads: t.wonLeads,
    cases: t.cases,
    casesResolved: t.casesResolved,
    csatAverage: ratio(t.csatSum, t.csatResponses),
    csatResponses: t.csatResponses,
  };
}

/** Adds `b` into `a`. */
export function addTotals(a: Totals, b: Totals): void {
  for (const f of COUNT_FIELDS) a[f] += b[f];
  a.queueWaits.push(...b.queueWaits);
  a.firstReplies.push(...b.firstReplies);
  for (const [k, v] of b.intents) a.intents.set(k, (a.intents.get(k) ?? 0) + v);
}

/** `YYYY-MM-DD` of a date in UTC. */
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
