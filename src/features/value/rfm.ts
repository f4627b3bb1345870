/**
 * RFM scoring and named segments.
 *
 * Scores: each customer gets 1–5 for recency (days since the last purchase, fewer is better),
 * frequency (purchase days) and monetary (revenue), by quintile among the install's customers:
 * score = 1 + ⌊5 · s⌋, with s the share of customers strictly worse on that measure. Tied
 * customers always share a score, so where most customers bought once, one-time buyers all get
 * frequency 1 and the next score used is the one their share reaches (scores can be skipped).
 *
 * Segments: the usual recency × frequency grid (monetary follows frequency closely and is
 * reported, not used to name the segment):
 *
 * | segment            | recency | frequency |
 * | ------------------ | ------- | --------- |
 * | champions          | 5       | 4–5       |
 * | loyal              | 3–4     | 4–5       |
 * | potential_loyalist | 4–5     | 2–3       |
 * | new                | 5       | 1         |
 * | promising          | 4       | 1         |
 * | need_attention     | 3       | 3         |
 * | about_to_sleep     | 3       | 1–2       |
 * | at_risk            | 1–2     | 3–4       |
 * | cant_lose_them     | 1–2     | 5         |
 * | hibernating        | 2 / 1   | 1–2 / 2   |
 * | lost               | 1       | 1         |
 */

import { RFM_SEGMENTS } from '../../kernel/vocabulary.js';

export { RFM_SEGMENTS };
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export interface RfmInput {
  daysSinceLast: number;
  /** Purchase days (repeat purchases + 1). */
  purchases: number;
  revenue: number;
}

export interface RfmScore {
  recency: number;
  frequency: number;
  monetary: number;
  segment: RfmSegment;
}

/** Scores in the order of `customers`. */
export function scoreRfm(customers: readonly RfmInput[]): RfmScore[] {
  const recency = quintileScores(customers.map((c) => -c.daysSinceLast));
  const frequency = quintileScores(customers.map((c) => c.purchases));
  const monetary = quintileScores(customers.map((c) => c.revenue));
  return customers.map((_, i) => ({
    recency: recency[i]!,
    frequency: frequency[i]!,
    monetary: monetary[i]!,
    segment: rfmSegment(recency[i]!, frequency[i]!),
  }));
}

/** 1 + ⌊5 · (share of values strictly below)⌋ for each value; higher values are better. */
export function quintileScores(values: readonly number[]): number[] {
  const n = values.length;
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const scores = new Array<number>(n);
  let below = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k > 0 && values[i]! > values[order[k - 1]!]!) below = k;
    scores[i] = 1 + Math.floor((5 * below) / n);
  }
  return scores;
}

export function rfmSegment(recency: number, frequency: number): RfmSegment {
  if (recency >= 4) {
    if (frequency >= 4) return recency === 5 ? 'champions' : 'loyal';
    if (frequency >= 2) return 'potential_loyalist';
    return recency === 5 ? 'new' : 'promising';
  }
  if (recency === 3) {
    if (frequency >= 4) return 'loyal';
    return frequency === 3 ? 'need_attention' : 'about_to_sleep';
  }
  if (frequency === 5) return 'cant_lose_them';
  if (frequency >= 3) return 'at_risk';
  return recency === 1 && frequency === 1 ? 'lost' : 'hibernating';
}
