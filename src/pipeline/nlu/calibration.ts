/**
 * Calibrated confidence: the classifier's raw probability (a softmax blended with a
 * nearest-centroid distribution over 14 labels) runs low on long, descriptive messages — on the
 * shipped catalogue's cross-validation a top intent at raw 0.30 is right about three times in
 * four. Platt scaling maps it to the probability that the top intent is right, so the threshold
 * and the confidence the studio shows mean what they say.
 *
 * Fitted by `npx tsx bench/nlu-calibrate.ts` (logistic regression of "the top intent was right"
 * on logit(raw probability), over 5-fold cross-validated predictions of the shipped catalogue's
 * phrases and the background phrases). Strictly increasing, so it never reorders intents or
 * messages: the benchmark's validation-chosen thresholds are unaffected.
 */
export interface Calibration {
  intercept: number;
  slope: number;
}

export const SHIPPED_CALIBRATION: Calibration = { intercept: 3.12, slope: 2.53 };

/** Probability that an intent predicted with raw probability `p` is right. */
export function calibrate(p: number, c: Calibration = SHIPPED_CALIBRATION): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return 1 / (1 + Math.exp(-(c.intercept + c.slope * Math.log(p / (1 - p)))));
}
