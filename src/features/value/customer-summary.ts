/**
 * From orders to the per-customer summary the value models read, as of a date, with the
 * conventions of the customer-base literature (Fader, Hardie & Lee 2005; the CDNOW sample):
 *
 * - Time is counted in whole UTC days and reported in **weeks** (days / 7).
 * - Orders a customer placed on the same day are one purchase (their amounts summed): the
 *   models count purchase occasions, and a split basket is not a second visit.
 * - Orders placed after the as-of day are ignored; the as-of day itself is included.
 * - frequency = repeat purchase days (purchase days after the first one);
 *   recency = last − first purchase day; T = as-of − first purchase day.
 * - monetary = mean spend of the repeat purchase days (the first purchase is left out, as in
 *   the Gamma-Gamma literature); 0 for a customer with no repeat purchase.
 * - orders and revenue count every order up to the as-of day, first purchase included: they
 *   are the customer's history, not a model input.
 *
 * Which orders count (cancelled or returned ones should not) is the caller's choice.
 */

export interface Order {
  customerId: string;
  placedAt: Date;
  /** In the install's base currency. */
  amount: number;
}

export interface CustomerSummary {
  customerId: string;
  /** Repeat purchase days. */
  frequency: number;
  /** Weeks from the first to the last purchase day. */
  recency: number;
  /** Weeks from the first purchase day to the as-of day. */
  T: number;
  /** Mean spend of the repeat purchase days; 0 without a repeat purchase. */
  monetary: number;
  /** Days since the last purchase, at the as-of day (for RFM). */
  daysSinceLast: number;
  firstPurchase: Date;
  lastPurchase: Date;
  orders: number;
  revenue: number;
}

export const DAY_MS = 86_400_000;
export const DAYS_PER_WEEK = 7;

/** The UTC day number of a time (days since 1970-01-01). */
export function dayNumber(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS);
}

interface Purchases {
  days: number[];
  amounts: number[];
}

/** One summary per customer with at least one order on or before `asOf`, in first-seen order. */
export function summariseOrders(orders: Iterable<Order>, asOf: Date): CustomerSummary[] {
  const end = dayNumber(asOf);
  const byCustomer = new Map<string, Purchases>();
  for (const order of orders) {
    const day = dayNumber(order.placedAt);
    if (day > end) continue;
    let p = byCustomer.get(order.customerId);
    if (!p) byCustomer.set(order.customerId, (p = { days: [], amounts: [] }));
    p.days.push(day);
    p.amounts.push(order.amount);
  }
  const summaries: CustomerSummary[] = [];
  for (const [customerId, purchases] of byCustomer) {
    summaries.push(summariseCustomer(customerId, purchases, end));
  }
  return summaries;
}

function summariseCustomer(customerId: string, p: Purchases, end: number): CustomerSummary {
  const { dayTotals, revenue } = totalsByDay(p);
  const days = [...dayTotals.keys()].sort((x, y) => x - y);
  const first = days[0]!;
  const last = days[days.length - 1]!;
  let repeatSpend = 0;
  for (const day of days.slice(1)) repeatSpend += dayTotals.get(day)!;
  const frequency = days.length - 1;
  return {
    customerId,
    frequency,
    recency: (last - first) / DAYS_PER_WEEK,
    T: (end - first) / DAYS_PER_WEEK,
    monetary: frequency > 0 ? repeatSpend / frequency : 0,
    daysSinceLast: end - last,
    firstPurchase: new Date(first * DAY_MS),
    lastPurchase: new Date(last * DAY_MS),
    orders: p.days.length,
    revenue,
  };
}

function totalsByDay(p: Purchases): { dayTotals: Map<number, number>; revenue: number } {
  const dayTotals = new Map<number, number>();
  let revenue = 0;
  for (let i = 0; i < p.days.length; i++) {
    const amount = p.amounts[i]!;
    dayTotals.set(p.days[i]!, (dayTotals.get(p.days[i]!) ?? 0) + amount);
    revenue += amount;
  }
  return { dayTotals, revenue };
}
