/**
 * Revenue figures for a day range (GET /api/analytics/revenue and revenue.csv). Definitions
 * (docs/console-api.md repeats them; the console shows them as help text):
 *
 * - orders / revenue: orders *placed* on the UTC days of the range, cancelled and returned ones
 *   left out (counted apart as `cancelledOrReturned`); revenue is the sum of their base amounts
 *   (BASE_CURRENCY, converted at import). averageOrder = revenue / orders.
 * - touch: something Charla did with the order's contact in the attribution window — the
 *   `windowDays` (default 7) days up to the moment the order was placed:
 *   · a campaign touch: a campaign message sent to the contact (recipient state `sent`, at its
 *     `sentAt`) or the contact's reply to one (`repliedAt`);
 *   · a conversation touch: a conversation of the contact on a customer channel (never the
 *     studio sandbox) that started before the order and whose last message is no earlier than
 *     the window's start (its span overlaps the window); its time is its last message, or the
 *     order's time when it went on after the order.
 * - attribution: `campaign` when any campaign touch is in the window (credited to the campaign
 *   of the latest one: last touch), otherwise `conversation` when a conversation touch is,
 *   otherwise `none`. Each order is counted once.
 * - channel: the channel of the latest touch of either kind (a campaign's sending channel or the
 *   conversation's channel); `none` without a touch.
 *
 * Reads: the range's orders (one query on placedAt), then the touches of their contacts in bulk (conversations and campaign recipients by indexed
 * contactId, 500 contacts per query) — never a query per order.
 */
import type { Types } from 'mongoose';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { Order } from '../../kernel/db/models/order.js';
import { ANALYTICS_CHANNELS } from '../../kernel/vocabulary.js';
import { campaignTouches, type CampaignTouch } from '../campaigns/index.js';
import {
  ATTRIBUTION_WINDOW_DAYS,
  ATTRIBUTIONS,
  type RevenueDay,
  type RevenueReport,
} from './schemas.js';

const DAY = 86_400_000;
const CHUNK = 500;
const EXCLUDED = ['cancelled', 'returned'];

interface OrderRow {
  contactId: Types.ObjectId;
  placedAt: Date;
  baseAmount: number;
  status: string;
}
interface ConversationRow {
  contactId: Types.ObjectId;
  channel: string;
  createdAt: Date;
  lastMessageAt?: Date | null;
}
type Touch = { at: Date; channel: string } & (
  { kind: 'campaign'; campaignId: string; campaignName: string } | { kind: 'conversation' }
);

const cents = (x: number) => Math.round(x * 100) / 100;

async function conversationsOf(contactIds: Types.ObjectId[], until: Date) {
  const rows: ConversationRow[] = [];
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    rows.push(
      ...(await Conversation.find(
        {
          contactId: { $in: contactIds.slice(i, i + CHUNK) },
          channel: { $in: [...ANALYTICS_CHANNELS] },
          createdAt: { $lte: until },
        },
        { contactId: 1, channel: 1, createdAt: 1, lastMessageAt: 1 },
      )
        .lean<ConversationRow[]>()
        .exec()),
    );
  }
  return rows;
}

/** Every contact's touches, by contact id. */
async function touchesByContact(contactIds: Types.ObjectId[], from: Date, to: Date) {
  const [conversations, campaigns] = await Promise.all([
    conversationsOf(contactIds, to),
    campaignTouches(contactIds, from, to),
  ]);
  const byContact = new Map<
    string,
    { conversations: ConversationRow[]; campaigns: CampaignTouch[] }
  >();
  const of = (id: string) => {
    let entry = byContact.get(id);
    if (!entry) byContact.set(id, (entry = { conversations: [], campaigns: [] }));
    return entry;
  };
  for (const c of conversations) of(String(c.contactId)).conversations.push(c);
  for (const c of campaigns) of(c.contactId).campaigns.push(c);
  return byContact;
}

/** The touches in an order's window, latest first. */
function touchesBefore(
  order: OrderRow,
  entry: { conversations: ConversationRow[]; campaigns: CampaignTouch[] } | undefined,
  windowMs: number,
): Touch[] {
  if (!entry) return [];
  const end = order.placedAt.getTime();
  const start = end - windowMs;
  const touches: Touch[] = [];
  for (const c of entry.campaigns) {
    const at = c.at.getTime();
    if (at >= start && at <= end)
      touches.push({
        kind: 'campaign',
        at: c.at,
        channel: c.channel,
        campaignId: c.campaignId,
        campaignName: c.campaignName,
      });
  }
  for (const c of entry.conversations) {
    const began = new Date(c.createdAt).getTime();
    const last = new Date(c.lastMessageAt ?? c.createdAt).getTime();
    if (began <= end && last >= start)
      touches.push({ kind: 'conversation', at: new Date(Math.min(last, end)), channel: c.channel });
  }
  return touches.sort((a, b) => b.at.getTime() - a.at.getTime());
}

function emptyDay(date: string): RevenueDay {
  return {
    date,
    orders: 0,
    revenue: 0,
    campaignOrders: 0,
    campaignRevenue: 0,
    conversationOrders: 0,
    conversationRevenue: 0,
  };
}

export async function revenueReport(opts: {
  from: string;
  to: string;
  currency: string;
  windowDays?: number;
}): Promise<RevenueReport> {
  const windowDays = opts.windowDays ?? ATTRIBUTION_WINDOW_DAYS;
  const start = new Date(`${opts.from}T00:00:00.000Z`);
  const end = new Date(Date.parse(`${opts.to}T00:00:00.000Z`) + DAY - 1);
  const placed = await Order.find(
    { placedAt: { $gte: start, $lte: end } },
    { contactId: 1, placedAt: 1, baseAmount: 1, status: 1 },
  )
    .lean<OrderRow[]>()
    .exec();
  const orders = placed.filter((o) => !EXCLUDED.includes(o.status));
  const contactIds = [...new Map(orders.map((o) => [String(o.contactId), o.contactId])).values()];
  const windowMs = windowDays * DAY;
  const touches = await touchesByContact(contactIds, new Date(start.getTime() - windowMs), end);

  const days = new Map<string, RevenueDay>();
  for (let t = start.getTime(); t <= end.getTime(); t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.set(date, emptyDay(date));
  }
  const zero = () => ({ orders: 0, revenue: 0 });
  const byAttribution = Object.fromEntries(ATTRIBUTIONS.map((a) => [a, zero()])) as Record<
    (typeof ATTRIBUTIONS)[number],
    { orders: number; revenue: number }
  >;
  const byChannel = new Map<string, { orders: number; revenue: number }>();
  const byCampaign = new Map<string, { name: string; orders: number; revenue: number }>();
  const add = (into: { orders: number; revenue: number }, amount: number) => {
    into.orders += 1;
    into.revenue += amount;
  };
  let revenue = 0;
  for (const o of orders) {
    const amount = o.baseAmount ?? 0;
    revenue += amount;
    const seen = touchesBefore(o, touches.get(String(o.contactId)), windowMs);
    const campaign = seen.find((t) => t.kind === 'campaign');
    const attribution = campaign ? 'campaign' : seen.length ? 'conversation' : 'none';
    add(byAttribution[attribution], amount);
    const channel = seen[0]?.channel ?? 'none';
    if (!byChannel.has(channel)) byChannel.set(channel, zero());
    add(byChannel.get(channel)!, amount);
    if (campaign?.kind === 'campaign') {
      if (!byCampaign.has(campaign.campaignId))
        byCampaign.set(campaign.campaignId, { name: campaign.campaignName, ...zero() });
      add(byCampaign.get(campaign.campaignId)!, amount);
    }
    const day = days.get(o.placedAt.toISOString().slice(0, 10))!;
    day.orders += 1;
    day.revenue += amount;
    if (attribution === 'campaign') {
      day.campaignOrders += 1;
      day.campaignRevenue += amount;
    } else if (attribution === 'conversation') {
      day.conversationOrders += 1;
      day.conversationRevenue += amount;
    }
  }
  const money = <T extends { revenue: number }>(x: T) => ({ ...x, revenue: cents(x.revenue) });
  const byRevenue = (
    a: { revenue: number; orders: number },
    b: { revenue: number; orders: number },
  ) => b.revenue - a.revenue || b.orders - a.orders;
  return {
    from: opts.from,
    to: opts.to,
    currency: opts.currency,
    windowDays,
    orders: orders.length,
    revenue: cents(revenue),
    averageOrder: orders.length ? cents(revenue / orders.length) : null,
    cancelledOrReturned: placed.length - orders.length,
    perDay: [...days.values()].map((d) => ({
      ...d,
      revenue: cents(d.revenue),
      campaignRevenue: cents(d.campaignRevenue),
      conversationRevenue: cents(d.conversationRevenue),
    })),
    byChannel: [...byChannel].map(([channel, v]) => money({ channel, ...v })).sort(byRevenue),
    byAttribution: {
      campaign: money(byAttribution.campaign),
      conversation: money(byAttribution.conversation),
      none: money(byAttribution.none),
    },
    byCampaign: [...byCampaign]
      .map(([campaignId, v]) => money({ campaignId, ...v }))
      .sort(byRevenue),
  };
}
