import { describe, expect, it } from 'vitest';
import { DAY_MS, type Order } from '../../../src/features/value/customer-summary.js';
import { syntheticOrders } from '../../../src/features/value/synthetic-orders.js';
import { fitValueModel, MIN_REPEAT_CUSTOMERS } from '../../../src/features/value/value-model.js';

const TRUE_BGNBD = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const TRUE_GAMMA_GAMMA = { p: 6.25, q: 3.74, v: 15.44 };
const START = new Date('2026-01-01T00:00:00Z');
const AS_OF = new Date(START.getTime() + (78 * 7 - 1) * DAY_MS);

function synthetic(customers: number, seed: number): Order[] {
  return [
    ...syntheticOrders({
      customers,
      seed,
      bgnbd: TRUE_BGNBD,
      gammaGamma: TRUE_GAMMA_GAMMA,
      start: START,
      acquisitionWeeks: 26,
      observedWeeks: 78,
    }),
  ];
}

describe('the value model of an install', () => {
  it('draws the same orders from the same seed', () => {
    expect(synthetic(50, 7)).toEqual(synthetic(50, 7));
    expect(synthetic(50, 7)).not.toEqual(synthetic(50, 8));
  });

  it('recovers the parameters the orders were drawn from', () => {
    const model = fitValueModel(synthetic(20_000, 22), { asOf: AS_OF });
    expect(model.asOf).toBe(AS_OF.toISOString().slice(0, 10));
    expect(model.customers).toBe(20_000);
    expect(model.bgnbd?.timeUnit).toBe('week');
    // Same-day repeats merge on whole days, and 20,000 customers leave sampling noise: 15 %.
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(model.bgnbd![key] / TRUE_BGNBD[key] - 1), key).toBeLessThan(0.15);
    }
    for (const key of ['p', 'q', 'v'] as const) {
      expect(Math.abs(model.gammaGamma![key] / TRUE_GAMMA_GAMMA[key] - 1), key).toBeLessThan(0.15);
    }
  });

  it('scores every customer: expectation, P(active), spend, CLV, history and RFM', () => {
    const orders = synthetic(2_000, 3);
    const model = fitValueModel(orders, { asOf: AS_OF, horizonDays: 90 });
    expect(model.scores).toHaveLength(2_000);
    const revenue = orders.reduce((s, o) => s + o.amount, 0);
    const scored = model.scores.reduce((s, c) => s + c.historicRevenue, 0);
    expect(scored).toBeCloseTo(revenue, 4);
    expect(model.scores.reduce((s, c) => s + c.orders, 0)).toBe(orders.length);
    for (const c of model.scores) {
      expect(c.expectedPurchases).toBeGreaterThanOrEqual(0);
      expect(c.probabilityActive).toBeGreaterThan(0);
      expect(c.probabilityActive).toBeLessThanOrEqual(1);
      expect(c.expectedAverageSpend).toBeGreaterThan(0);
      expect(c.clv).toBeGreaterThanOrEqual(0);
      expect(c.rfm.recency).toBeGreaterThanOrEqual(1);
    }
    const champions = model.scores.filter((c) => c.rfm.segment === 'champions');
    const lost = model.scores.filter((c) => c.rfm.segment === 'lost');
    const meanClv = (xs: typeof champions) => xs.reduce((s, c) => s + c.clv!, 0) / xs.length;
    expect(meanClv(champions)).toBeGreaterThan(5 * meanClv(lost));
  });

  it('leaves the models out while there are too few repeat customers', () => {
    const orders: Order[] = [
      { customerId: 'a', placedAt: START, amount: 10 },
      { customerId: 'a', placedAt: new Date(START.getTime() + 9 * DAY_MS), amount: 12 },
      { customerId: 'b', placedAt: START, amount: 30 },
    ];
    const model = fitValueModel(orders, { asOf: AS_OF });
    expect(MIN_REPEAT_CUSTOMERS).toBeGreaterThan(1);
    expect(model.bgnbd).toBeNull();
    expect(model.gammaGamma).toBeNull();
    expect(model.scores[0]).toMatchObject({
      customerId: 'a',
      expectedPurchases: null,
      probabilityActive: null,
      clv: null,
      historicRevenue: 22,
      orders: 2,
    });
  });
});
