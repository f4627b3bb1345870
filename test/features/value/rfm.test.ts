import { describe, expect, it } from 'vitest';
import {
  quintileScores,
  rfmSegment,
  RFM_SEGMENTS,
  scoreRfm,
} from '../../../src/features/value/rfm.js';

describe('RFM', () => {
  it('scores quintiles of distinct values 1 to 5', () => {
    expect(quintileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
  });

  it('gives tied customers the same score', () => {
    // Six one-time buyers of ten: all score 1; the next value's share below is 60 %.
    expect(quintileScores([1, 1, 1, 1, 1, 1, 2, 2, 3, 9])).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    expect(quintileScores([7, 7, 7])).toEqual([1, 1, 1]);
    expect(quintileScores([])).toEqual([]);
  });

  it('names every cell of the recency × frequency grid as documented', () => {
    const grid = [1, 2, 3, 4, 5].map((r) => [1, 2, 3, 4, 5].map((f) => rfmSegment(r, f)));
    expect(grid).toEqual([
      ['lost', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
      ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
      ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
      ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
      ['new', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
    ]);
    expect(new Set(grid.flat())).toEqual(new Set(RFM_SEGMENTS));
  });

  it('scores recency with fewer days as better and keeps the input order', () => {
    const customers = Array.from({ length: 10 }, (_, i) => ({
      daysSinceLast: i * 30,
      purchases: 10 - i,
      revenue: 100 * (10 - i),
    }));
    const scores = scoreRfm(customers);
    expect(scores[0]).toEqual({ recency: 5, frequency: 5, monetary: 5, segment: 'champions' });
    expect(scores[9]).toEqual({ recency: 1, frequency: 1, monetary: 1, segment: 'lost' });
    expect(scoreRfm([{ daysSinceLast: 3, purchases: 1, revenue: 20 }])[0]!.segment).toBe('lost');
  });
});
