import { describe, expect, it } from 'vitest';
import { churnRisk, modelRisk, type ModelFacts } from '../../../src/features/value/churn.js';

const facts = (over: Partial<ModelFacts>): ModelFacts => ({
  probabilityActive: 0.9,
  frequency: 3,
  daysSinceLast: 20,
  historicRevenue: 500,
  recencyScore: 4,
  monetaryScore: 5,
  segment: 'loyal',
  ...over,
});

describe('churn risk', () => {
  it('is 1 − P(active) for a repeat customer, recency-based for a one-time buyer', () => {
    expect(modelRisk(facts({ probabilityActive: 0.3 }))).toBeCloseTo(0.7, 10);
    // A one-time buyer's P(active) is 1 by construction: recency decides.
    expect(modelRisk(facts({ frequency: 0, probabilityActive: 1, recencyScore: 1 }))).toBeCloseTo(
      0.8,
    );
    expect(modelRisk(facts({ frequency: 0, probabilityActive: 1, recencyScore: 5 }))).toBe(0);
    // Fits before `x` was kept: P(active) = 1 reads as a one-time buyer.
    expect(
      modelRisk(facts({ frequency: null, probabilityActive: 1, recencyScore: 2 })),
    ).toBeCloseTo(0.6);
  });

  it('names the model reasons and flags only high-value customers', () => {
    const slipping = churnRisk(
      facts({
        probabilityActive: 0.2,
        recencyScore: 1,
        daysSinceLast: 300,
        segment: 'cant_lose_them',
      }),
    );
    expect(slipping).toMatchObject({ atRisk: true, highValue: true });
    expect(slipping.reasons).toEqual([
      { code: 'probability_active_low', value: 0.2 },
      { code: 'lapsed', days: 300 },
      { code: 'rfm_segment', segment: 'cant_lose_them' },
    ]);
    const small = churnRisk(facts({ probabilityActive: 0.2, monetaryScore: 3 }));
    expect(small.risk).toBeCloseTo(0.8);
    expect(small.atRisk).toBe(false);
  });

  it("sharpens the model's risk with Charla's signals, each with its reason", () => {
    const calm = churnRisk(facts({ probabilityActive: 0.95 }));
    expect(calm.atRisk).toBe(false);
    expect(calm.reasons).toEqual([]);
    const troubled = churnRisk(facts({ probabilityActive: 0.95 }), {
      openCases: 1,
      reopenedCases: 1,
      frustrated: true,
      unanswered: 0,
    });
    expect(troubled.risk).toBeCloseTo(1 - 0.95 * 0.85 * 0.75 * 0.7, 10);
    expect(troubled.atRisk).toBe(true);
    expect(troubled.reasons.map((r) => r.code)).toEqual([
      'open_case',
      'reopened_case',
      'frustrated',
    ]);
    // Unanswered questions weigh 0.1 each, at most 0.3.
    const many = churnRisk(facts({ probabilityActive: 1, frequency: 2 }), {
      openCases: 0,
      reopenedCases: 0,
      frustrated: false,
      unanswered: 9,
    });
    expect(many.risk).toBeCloseTo(0.3, 10);
    expect(many.reasons).toEqual([{ code: 'unanswered', count: 9 }]);
  });
});
