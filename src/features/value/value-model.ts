/**
 * The whole customer-value model of an install as of a date, as the nightly job will compute it:
 * the summary of its orders, the BG/NBD and Gamma-Gamma fits, and per customer the expected
 * purchases in the next 90 days, the probability of being active, the discounted 12-month CLV,
 * the historic revenue and orders, and the RFM scores and segment.
 *
 * With too few repeat customers the fits would be noise, so below MIN_REPEAT_CUSTOMERS the
 * model parts are null and customers keep only their history and RFM scores.
 */
import { fitBgNbd, expectedPurchases, probabilityAlive, type BgNbdFit } from './bg-nbd.js';
import { discountedClv, type ClvOptions } from './clv.js';
import { summariseOrders, DAYS_PER_WEEK, type Order } from './customer-summary.js';
import { expectedAverageSpend, fitGammaGamma, type GammaGammaFit } from './gamma-gamma.js';
import { scoreRfm, type RfmScore } from './rfm.js';

/** Repeat customers needed before the models are fitted. */
export const MIN_REPEAT_CUSTOMERS = 20;
export const DEFAULT_HORIZON_DAYS = 90;

export interface ValueModelOptions {
  asOf: Date;
  /** Days ahead for the expected purchases; 90 by default. */
  horizonDays?: number;
  clv?: ClvOptions;
}

export interface CustomerValue {
  customerId: string;
  /** Null when the model was not fitted (see MIN_REPEAT_CUSTOMERS). */
  expectedPurchases: number | null;
  probabilityActive: number | null;
  expectedAverageSpend: number | null;
  clv: number | null;
  historicRevenue: number;
  orders: number;
  /** Repeat purchase days (x) and days since the last purchase, as of the fit. */
  frequency: number;
  daysSinceLast: number;
  rfm: RfmScore;
}

export interface ValueModel {
  asOf: string;
  customers: number;
  horizonDays: number;
  bgnbd: (Omit<BgNbdFit, 'customers'> & { timeUnit: 'week' }) | null;
  gammaGamma: GammaGammaFit | null;
  scores: CustomerValue[];
}

export function fitValueModel(orders: Iterable<Order>, options: ValueModelOptions): ValueModel {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const summaries = summariseOrders(orders, options.asOf);
  const rfm = scoreRfm(
    summaries.map((s) => ({
      daysSinceLast: s.daysSinceLast,
      purchases: s.frequency + 1,
      revenue: s.revenue,
    })),
  );
  const repeatCustomers = summaries.filter((s) => s.frequency > 0 && s.monetary > 0).length;
  const fitted = repeatCustomers >= MIN_REPEAT_CUSTOMERS;
  const bgnbd = fitted ? fitBgNbd(summaries) : null;
  const gammaGamma = fitted ? fitGammaGamma(summaries) : null;
  const scores = summaries.map((s, i): CustomerValue => {
    const history = {
      customerId: s.customerId,
      historicRevenue: s.revenue,
      orders: s.orders,
      frequency: s.frequency,
      daysSinceLast: s.daysSinceLast,
    };
    if (!bgnbd || !gammaGamma) {
      return {
        ...history,
        expectedPurchases: null,
        probabilityActive: null,
        expectedAverageSpend: null,
        clv: null,
        rfm: rfm[i]!,
      };
    }
    return {
      ...history,
      expectedPurchases: expectedPurchases(bgnbd, s, horizonDays / DAYS_PER_WEEK),
      probabilityActive: probabilityAlive(bgnbd, s),
      expectedAverageSpend: expectedAverageSpend(gammaGamma, s),
      clv: discountedClv(bgnbd, gammaGamma, s, options.clv),
      rfm: rfm[i]!,
    };
  });
  return {
    asOf: options.asOf.toISOString().slice(0, 10),
    customers: summaries.length,
    horizonDays,
    bgnbd: bgnbd ? { ...withoutCustomers(bgnbd), timeUnit: 'week' } : null,
    gammaGamma,
    scores,
  };
}

function withoutCustomers(fit: BgNbdFit): Omit<BgNbdFit, 'customers'> {
  const { customers: _customers, ...rest } = fit;
  return rest;
}
