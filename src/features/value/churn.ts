/**
 * Who is slipping away: a churn risk per customer from the model, sharpened by what only Charla
 * sees, with the reasons (pure; at-risk.ts reads the stores).
 *
 * From the model (the latest fit):
 * - a repeat customer's risk is 1 − P(active) (the BG/NBD's drop-out probability: it rises as the
 *   time since the last purchase grows beyond the customer's own rhythm);
 * - a one-time buyer's P(active) is 1 by the model's construction (drop-out happens only after a
 *   repeat purchase), so their risk is read from recency instead: (5 − RFM recency score) / 5,
 *   0.8 for the longest-lapsed fifth, 0 for the most recent.
 *
 * From Charla (the last SIGNAL_DAYS days), each multiplying what is left of "staying":
 *   risk = 1 − (1 − model) · Π (1 − wᵢ)
 * with w = 0.15 for an open case, 0.25 for a reopened one, 0.3 for a frustrated conversation and
 * 0.1 per unanswered question (bot fallbacks and conversations waiting for a person), at most 0.3.
 *
 * "At risk, high value": risk ≥ AT_RISK and a monetary RFM score of 4 or 5 (the top two fifths
 * by revenue).
 */
import type { RfmSegment } from './rfm.js';

export const SIGNAL_DAYS = 90;
export const AT_RISK = 0.5;
export const HIGH_VALUE_MONETARY = 4;
const WEIGHTS = { openCase: 0.15, reopenedCase: 0.25, frustrated: 0.3, unanswered: 0.1 };
const MAX_UNANSWERED_WEIGHT = 0.3;
const SLIPPING_SEGMENTS: readonly RfmSegment[] = [
  'at_risk',
  'cant_lose_them',
  'about_to_sleep',
  'hibernating',
];

export interface CustomerSignals {
  openCases: number;
  reopenedCases: number;
  frustrated: boolean;
  unanswered: number;
}

export const NO_SIGNALS: CustomerSignals = {
  openCases: 0,
  reopenedCases: 0,
  frustrated: false,
  unanswered: 0,
};

export interface ModelFacts {
  probabilityActive: number | null;
  /** Repeat purchase days; unknown for fits before it was kept. */
  frequency: number | null;
  daysSinceLast: number | null;
  historicRevenue: number;
  recencyScore: number;
  monetaryScore: number;
  segment: RfmSegment;
}

export type ChurnReason =
  | { code: 'probability_active_low'; value: number }
  | { code: 'lapsed'; days: number | null }
  | { code: 'rfm_segment'; segment: RfmSegment }
  | { code: 'open_case'; count: number }
  | { code: 'reopened_case'; count: number }
  | { code: 'frustrated' }
  | { code: 'unanswered'; count: number };

export interface ChurnRisk {
  risk: number;
  modelRisk: number;
  highValue: boolean;
  atRisk: boolean;
  reasons: ChurnReason[];
}

const isRepeat = (f: ModelFacts) =>
  f.frequency === null ? f.probabilityActive !== 1 : f.frequency > 0;

export function modelRisk(f: ModelFacts): number {
  if (isRepeat(f) && f.probabilityActive !== null) return 1 - f.probabilityActive;
  return (5 - f.recencyScore) / 5;
}

function modelReasons(f: ModelFacts): ChurnReason[] {
  const reasons: ChurnReason[] = [];
  if (isRepeat(f) && f.probabilityActive !== null && f.probabilityActive < 1 - AT_RISK) {
    reasons.push({ code: 'probability_active_low', value: f.probabilityActive });
  }
  if (f.recencyScore <= 2) reasons.push({ code: 'lapsed', days: f.daysSinceLast });
  if (SLIPPING_SEGMENTS.includes(f.segment))
    reasons.push({ code: 'rfm_segment', segment: f.segment });
  return reasons;
}

export function churnRisk(f: ModelFacts, s: CustomerSignals = NO_SIGNALS): ChurnRisk {
  const model = Math.min(1, Math.max(0, modelRisk(f)));
  let staying = 1 - model;
  const reasons = modelReasons(f);
  if (s.openCases > 0) {
    staying *= 1 - WEIGHTS.openCase;
    reasons.push({ code: 'open_case', count: s.openCases });
  }
  if (s.reopenedCases > 0) {
    staying *= 1 - WEIGHTS.reopenedCase;
    reasons.push({ code: 'reopened_case', count: s.reopenedCases });
  }
  if (s.frustrated) {
    staying *= 1 - WEIGHTS.frustrated;
    reasons.push({ code: 'frustrated' });
  }
  if (s.unanswered > 0) {
    staying *= 1 - Math.min(MAX_UNANSWERED_WEIGHT, WEIGHTS.unanswered * s.unanswered);
    reasons.push({ code: 'unanswered', count: s.unanswered });
  }
  const risk = 1 - staying;
  const highValue = f.monetaryScore >= HIGH_VALUE_MONETARY;
  return { risk, modelRisk: model, highValue, atRisk: highValue && risk >= AT_RISK, reasons };
}
