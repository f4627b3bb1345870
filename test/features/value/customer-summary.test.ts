import { describe, expect, it } from 'vitest';
import { summariseOrders, type Order } from '../../../src/features/value/customer-summary.js';
import { CALIBRATION_END, readCdnowOrders, readCdnowSummary } from './cdnow.js';

const order = (customerId: string, placedAt: string, amount: number): Order => ({
  customerId,
  placedAt: new Date(placedAt),
  amount,
});

describe('summary of orders as of a date', () => {
  it('follows the literature’s conventions: repeat days, weeks, same-day orders merged', () => {
    const orders = [
      order('ana', '2026-01-01T09:00:00Z', 10),
      order('ana', '2026-01-01T18:00:00Z', 5), // same day as the first: one purchase
      order('ana', '2026-01-15T10:00:00Z', 20),
      order('ana', '2026-01-15T11:00:00Z', 4), // same day: the repeat purchase is worth 24
      order('ana', '2026-01-29T10:00:00Z', 36),
      order('ana', '2026-03-01T10:00:00Z', 99), // after the as-of day: ignored
      order('ben', '2026-01-22T23:59:00Z', 50),
    ];
    const [ana, ben] = summariseOrders(orders, new Date('2026-02-26T00:00:00Z'));
    expect(ana).toMatchObject({
      customerId: 'ana',
      frequency: 2,
      recency: 4, // 28 days
      T: 8, // 56 days
      monetary: 30, // (24 + 36) / 2: the first purchase is left out
      daysSinceLast: 28,
      orders: 5,
      revenue: 75,
    });
    expect(ana!.firstPurchase.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(ben).toMatchObject({ frequency: 0, recency: 0, T: 5, monetary: 0, orders: 1 });
  });

  it('counts orders of the as-of day and leaves out customers who start after it', () => {
    const orders = [order('a', '2026-02-26T23:00:00Z', 1), order('b', '2026-02-27T00:00:00Z', 1)];
    const summaries = summariseOrders(orders, new Date('2026-02-26T12:00:00Z'));
    expect(summaries.map((s) => s.customerId)).toEqual(['a']);
    expect(summaries[0]!.T).toBe(0);
  });
});

describe('summary of the CDNOW transactions', () => {
  const sample = readCdnowSummary();
  const master = summariseOrders(readCdnowOrders(), CALIBRATION_END);

  it('covers the full cohort of 23,570 customers', () => {
    expect(master).toHaveLength(23_570);
  });

  /**
   * The sample is 1 customer in 10 of the master file, renumbered by first purchase day and
   * then master id (sample customer 1 is master 00004), and its file does not say which. So the
   * check is that the sample embeds, row by row and in that order, into our summary of the
   * master as of the end of the calibration period: x exactly, tₓ and T to their two printed decimals, z̄ to its cents
   * (the published figures were rounded half up, so 22.345 prints as 22.35). The first match in
   * order is taken, which finds an embedding whenever one exists. Every one of the 2,357 rows,
   * the 946 repeat customers among them, must be matched.
   */
  it('reproduces every row of the published sample, in order', () => {
    const ordered = [...master].sort(
      (p, q) =>
        p.firstPurchase.getTime() - q.firstPurchase.getTime() ||
        p.customerId.localeCompare(q.customerId),
    );
    const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;
    let next = 0;
    let matched = 0;
    let repeatMatched = 0;
    const firstIds: string[] = [];
    for (const row of sample) {
      while (next < ordered.length) {
        const c = ordered[next++]!;
        if (
          c.frequency === row.frequency &&
          close(c.recency, row.recency, 0.005) &&
          close(c.T, row.T, 0.005) &&
          close(c.monetary, row.monetary, 0.0051)
        ) {
          matched++;
          if (row.frequency > 0) repeatMatched++;
          if (firstIds.length < 3) firstIds.push(c.customerId);
          break;
        }
      }
    }
    expect(matched).toBe(2357);
    expect(repeatMatched).toBe(946);
    expect(firstIds[0]).toBe('00004');
  });
});
