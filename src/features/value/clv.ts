/**
 * Customer lifetime value over a horizon, discounted monthly: the BG/NBD's expected purchases
 * month by month times the Gamma-Gamma's expected spend per purchase, each month's value brought
 * back to today at the monthly discount rate (the construction of Fader, Hardie & Lee, "RFM and
 * CLV: Using Iso-Value Curves for Customer Base Analysis", 2005, in discrete months).
 *
 *   CLV = Σₘ₌₁..ₙ (E[Y(m·τ)] − E[Y((m−1)·τ)]) · E[Z] / (1 + d)ᵐ
 *
 * with τ the weeks in a month (365.25 / 12 / 7), d the monthly rate and n the months. It is
 * revenue, not margin: the feature applies a margin if the install configures one.
 */
import { expectedPurchases, type BgNbdParams, type RepeatHistory } from './bg-nbd.js';
import { expectedAverageSpend, type GammaGammaParams, type SpendHistory } from './gamma-gamma.js';

export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export interface ClvOptions {
  /** Months ahead; 12 by default. */
  months?: number;
  /** Monthly discount rate; 0.01 by default (about 12.7 % a year). */
  monthlyDiscountRate?: number;
}

export const DEFAULT_CLV_MONTHS = 12;
export const DEFAULT_MONTHLY_DISCOUNT_RATE = 0.01;

export function discountedClv(
  bgNbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: RepeatHistory & SpendHistory,
  options: ClvOptions = {},
): number {
  const months = options.months ?? DEFAULT_CLV_MONTHS;
  const rate = options.monthlyDiscountRate ?? DEFAULT_MONTHLY_DISCOUNT_RATE;
  if (!(rate > -1)) throw new RangeError(`monthly discount rate must be above -1 (got ${rate})`);
  const spend = expectedAverageSpend(gammaGamma, customer);
  let value = 0;
  let before = 0;
  for (let m = 1; m <= months; m++) {
    const upTo = expectedPurchases(bgNbd, customer, m * WEEKS_PER_MONTH);
    value += ((upTo - before) * spend) / Math.pow(1 + rate, m);
    before = upTo;
  }
  return value;
}
