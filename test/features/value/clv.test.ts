import { describe, expect, it } from 'vitest';
import { expectedPurchases } from '../../../src/features/value/bg-nbd.js';
import { discountedClv, WEEKS_PER_MONTH } from '../../../src/features/value/clv.js';
import { expectedAverageSpend } from '../../../src/features/value/gamma-gamma.js';

const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const GG = { p: 6.25, q: 3.74, v: 15.44 };
const customer = { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 };

describe('discounted CLV', () => {
  it('without discounting is the expected purchases over the horizon times the expected spend', () => {
    const clv = discountedClv(BG, GG, customer, { monthlyDiscountRate: 0 });
    const purchases = expectedPurchases(BG, customer, 12 * WEEKS_PER_MONTH);
    expect(clv).toBeCloseTo(purchases * expectedAverageSpend(GG, customer), 10);
  });

  it('discounts each month’s value at the monthly rate', () => {
    const month = (m: number) =>
      expectedPurchases(BG, customer, m * WEEKS_PER_MONTH) -
      expectedPurchases(BG, customer, (m - 1) * WEEKS_PER_MONTH);
    const spend = expectedAverageSpend(GG, customer);
    let byHand = 0;
    for (let m = 1; m <= 12; m++) byHand += (month(m) * spend) / 1.01 ** m;
    expect(discountedClv(BG, GG, customer)).toBeCloseTo(byHand, 10);
    expect(discountedClv(BG, GG, customer, { monthlyDiscountRate: 0.05 })).toBeLessThan(byHand);
    expect(discountedClv(BG, GG, customer, { months: 24 })).toBeGreaterThan(byHand);
  });

  it('is worth more for a recent frequent buyer than for one who has gone quiet', () => {
    const recent = discountedClv(BG, GG, { ...customer, frequency: 6, recency: 38 });
    const quiet = discountedClv(BG, GG, { ...customer, frequency: 6, recency: 8 });
    expect(recent).toBeGreaterThan(5 * quiet);
  });

  it('refuses a discount rate of −100 % or below', () => {
    expect(() => discountedClv(BG, GG, customer, { monthlyDiscountRate: -1 })).toThrow(RangeError);
  });
});
