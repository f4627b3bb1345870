import { describe, expect, it } from 'vitest';
import {
  expectedAverageSpend,
  fitGammaGamma,
  populationMeanSpend,
} from '../../../src/features/value/gamma-gamma.js';
import { readCdnowSummary } from './cdnow.js';

/** Fader & Hardie 2013, on the 946 repeat customers of the CDNOW sample. */
const PUBLISHED = { p: 6.25, q: 3.74, v: 15.44 };

describe('Gamma-Gamma on the CDNOW sample', () => {
  const sample = readCdnowSummary();
  const fit = fitGammaGamma(sample);

  it('fits on the 946 repeat customers and matches the published parameters within 1 %', () => {
    expect(fit.customers).toBe(946);
    expect(fit.converged).toBe(true);
    for (const key of ['p', 'q', 'v'] as const) {
      expect(Math.abs(fit[key] / PUBLISHED[key] - 1), `${key} = ${fit[key]}`).toBeLessThan(0.01);
    }
  });

  it('shrinks each customer’s mean spend towards the population’s', () => {
    // The first five customers of the sample: (x, z̄) = (2, 22.35), (1, 11.77), then three
    // without repeat purchases, who get the population mean pγ/(q − 1).
    const spend = sample.slice(0, 5).map((c) => expectedAverageSpend(fit, c));
    [24.65, 18.91, 35.17, 35.17, 35.17].forEach((value, i) =>
      expect(spend[i]).toBeCloseTo(value, 1),
    );
    expect(populationMeanSpend(fit)).toBeCloseTo(35.17, 1);
    // More purchases: closer to the customer's own mean.
    const few = expectedAverageSpend(fit, { frequency: 1, monetary: 100 });
    const many = expectedAverageSpend(fit, { frequency: 20, monetary: 100 });
    expect(many).toBeGreaterThan(few);
    expect(Math.abs(many - 100)).toBeLessThan(Math.abs(few - 100));
  });

  it('refuses a data set without repeat spend', () => {
    expect(() => fitGammaGamma([{ frequency: 0, monetary: 0 }])).toThrow(RangeError);
  });
});
