import { describe, expect, it } from 'vitest';
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesOfNewCustomer,
  fitBgNbd,
  probabilityAlive,
} from '../../../src/features/value/bg-nbd.js';
import { readCdnowSummary } from './cdnow.js';

/** Fader, Hardie & Lee 2005, on the CDNOW sample (time in weeks). */
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PUBLISHED_LOG_LIKELIHOOD = -9582.43;

const within = (value: number, expected: number, tolerance: number) =>
  Math.abs(value / expected - 1) <= tolerance;

describe('BG/NBD on the CDNOW sample', () => {
  const sample = readCdnowSummary();
  const fit = fitBgNbd(sample);

  it('fits the published parameters and log-likelihood within 1 %', () => {
    expect(sample).toHaveLength(2357);
    expect(fit.customers).toBe(2357);
    expect(fit.converged).toBe(true);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(within(fit[key], PUBLISHED[key], 0.01), `${key} = ${fit[key]}`).toBe(true);
    }
    expect(within(fit.logLikelihood, PUBLISHED_LOG_LIKELIHOOD, 0.01)).toBe(true);
    // In fact to the published precision.
    expect(fit.logLikelihood).toBeCloseTo(PUBLISHED_LOG_LIKELIHOOD, 1);
    expect(fit.r).toBeCloseTo(PUBLISHED.r, 3);
    expect(fit.alpha).toBeCloseTo(PUBLISHED.alpha, 2);
    expect(fit.a).toBeCloseTo(PUBLISHED.a, 3);
    expect(fit.b).toBeCloseTo(PUBLISHED.b, 2);
  });

  it('the published parameters give the published log-likelihood', () => {
    expect(bgNbdLogLikelihood(PUBLISHED, sample)).toBeCloseTo(PUBLISHED_LOG_LIKELIHOOD, 0);
    expect(bgNbdLogLikelihood(PUBLISHED, sample)).toBeLessThanOrEqual(fit.logLikelihood);
  });

  it('reproduces the expectations of Fader & Hardie’s BG/NBD spreadsheet', () => {
    // E[Y(39) | x = 2, tₓ = 30.43, T = 38.86] = 1.226 (customer 1 of the sample).
    const customer1 = { frequency: 2, recency: 30.43, T: 38.86 };
    expect(expectedPurchases(fit, customer1, 39)).toBeCloseTo(1.226, 3);
    // E[X(t)] for a new customer at t = 1 day, 1, 3, 31 6/7, 32 and 78 weeks.
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => {
      expect(within(expectedPurchasesOfNewCustomer(fit, t), expected[i]!, 0.003)).toBe(true);
    });
  });

  it('P(alive) is 1 without repeat purchases and falls as the last purchase ages', () => {
    expect(probabilityAlive(fit, { frequency: 0, recency: 0, T: 38 })).toBe(1);
    const recent = probabilityAlive(fit, { frequency: 4, recency: 37, T: 38 });
    const old = probabilityAlive(fit, { frequency: 4, recency: 5, T: 38 });
    // At most 1 / (1 + a/(b + x − 1)) even right after a purchase: one may drop out after it.
    expect(recent).toBeGreaterThan(0.85);
    expect(recent).toBeLessThan(1 / (1 + fit.a / (fit.b + 3)));
    expect(old).toBeLessThan(0.2);
    for (const row of sample) {
      const p = probabilityAlive(fit, row);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('expectations are zero at t = 0, grow with t and with frequency', () => {
    const h = { frequency: 3, recency: 30, T: 38 };
    expect(expectedPurchases(fit, h, 0)).toBe(0);
    expect(expectedPurchases(fit, h, 52)).toBeGreaterThan(expectedPurchases(fit, h, 13));
    expect(expectedPurchases(fit, { ...h, frequency: 6 }, 13)).toBeGreaterThan(
      expectedPurchases(fit, h, 13),
    );
  });

  it('refuses a data set without any repeat purchase', () => {
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: 10 }])).toThrow(RangeError);
  });
});
