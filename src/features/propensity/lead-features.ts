/**
 * What the propensity model reads of a lead: its record (channel, language, intents seen on the
 * way, marketing consent, whether the customer came back), its conversation (customer messages,
 * sentiment, frustration, whether it reached a person and how long the wait for staff was) and
 * the customer's value before the lead (orders and revenue placed before it was created). Read
 * for many leads at once: one `$in` read per 1,000 conversations, messages, orders.
 */
import type { Types } from 'mongoose';
import { Conversation } from '../../kernel/db/models/conversation.js';
import type { LeadDoc } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { Order } from '../../kernel/db/models/order.js';

/** Feature name → value; a binary feature is present (1) or left out. */
export type LeadFacts = Map<string, number>;

export type LeadRow = Pick<
  LeadDoc,
  | '_id'
  | 'status'
  | 'channel'
  | 'language'
  | 'intentsSeen'
  | 'marketingConsent'
  | 'returnedAt'
  | 'contactId'
  | 'conversationId'
  | 'createdAt'
  | 'updatedAt'
>;

interface ConversationFacts {
  messagesIn: number;
  sentiment: number | null;
  frustrated: boolean;
  escalated: boolean;
  staffWaitMinutes: number | null;
}

const CHUNK = 1000;
const ids = (values: Array<Types.ObjectId | null | undefined>) => [
  ...new Map(
    values.filter((v): v is Types.ObjectId => Boolean(v)).map((v) => [String(v), v]),
  ).values(),
];

async function chunked<T>(all: Types.ObjectId[], read: (c: Types.ObjectId[]) => Promise<T[]>) {
  const out: T[] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(...(await read(all.slice(i, i + CHUNK))));
  return out;
}

async function conversationFacts(leads: LeadRow[]): Promise<Map<string, ConversationFacts>> {
  const convIds = ids(leads.map((l) => l.conversationId));
  const convs = await chunked(convIds, (c) =>
    Conversation.find({ _id: { $in: c } }, { sentiment: 1, escalation: 1 })
      .lean()
      .exec(),
  );
  const counts = await chunked(convIds, (c) =>
    Message.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { conversationId: { $in: c }, direction: 'in' } },
      { $group: { _id: '$conversationId', n: { $sum: 1 } } },
    ]).exec(),
  );
  const messages = new Map(counts.map((c) => [String(c._id), c.n]));
  const out = new Map<string, ConversationFacts>();
  for (const c of convs) {
    const trend = c.sentiment?.trend ?? [];
    const esc = c.escalation;
    out.set(String(c._id), {
      messagesIn: messages.get(String(c._id)) ?? 0,
      sentiment: trend.length ? trend.reduce((s, t) => s + (t.score ?? 0), 0) / trend.length : null,
      frustrated: Boolean(c.sentiment?.frustratedAt),
      escalated: Boolean(esc?.queuedAt),
      staffWaitMinutes:
        esc?.queuedAt && esc.assignedAt
          ? Math.max(0, (esc.assignedAt.getTime() - esc.queuedAt.getTime()) / 60_000)
          : null,
    });
  }
  return out;
}

/** Per contact, its counted orders (placed, shipped, delivered) with day and base amount. */
async function ordersByContact(leads: LeadRow[]) {
  const rows = await chunked(ids(leads.map((l) => l.contactId)), (c) =>
    Order.find(
      { contactId: { $in: c }, status: { $nin: ['cancelled', 'returned'] } },
      { contactId: 1, placedAt: 1, baseAmount: 1 },
    )
      .lean()
      .exec(),
  );
  const out = new Map<string, Array<{ at: number; amount: number }>>();
  for (const o of rows) {
    const list = out.get(String(o.contactId)) ?? [];
    list.push({ at: new Date(o.placedAt).getTime(), amount: o.baseAmount ?? 0 });
    out.set(String(o.contactId), list);
  }
  return out;
}

/** Every lead's facts, keyed by lead id. */
export async function leadFacts(leads: LeadRow[]): Promise<Map<string, LeadFacts>> {
  const [convs, orders] = await Promise.all([conversationFacts(leads), ordersByContact(leads)]);
  const out = new Map<string, LeadFacts>();
  for (const lead of leads) {
    const f: LeadFacts = new Map();
    f.set(`channel:${lead.channel}`, 1);
    if (lead.language) f.set(`language:${lead.language}`, 1);
    for (const intent of new Set(lead.intentsSeen ?? [])) f.set(`intent:${intent}`, 1);
    if (lead.marketingConsent) f.set('consent', 1);
    if (lead.returnedAt) f.set('returned', 1);
    const c = lead.conversationId ? convs.get(String(lead.conversationId)) : undefined;
    if (c) {
      if (c.messagesIn > 0) f.set('messages', Math.log1p(c.messagesIn));
      if (c.sentiment !== null) f.set('sentiment', c.sentiment);
      if (c.frustrated) f.set('frustrated', 1);
      if (c.escalated) f.set('escalated', 1);
      if (c.staffWaitMinutes !== null) f.set('staffWait', Math.log1p(c.staffWaitMinutes));
    }
    const created = lead.createdAt ? new Date(lead.createdAt).getTime() : Date.now();
    const before = (lead.contactId ? orders.get(String(lead.contactId)) : undefined)?.filter(
      (o) => o.at < created,
    );
    if (before?.length) {
      f.set('customerOrders', Math.log1p(before.length));
      f.set('customerRevenue', Math.log1p(before.reduce((s, o) => s + o.amount, 0)));
    }
    out.set(String(lead._id), f);
  }
  return out;
}
