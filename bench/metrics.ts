/** Classification metrics and latency percentiles for the NLU benchmark. */
import { OOS, type Utterance } from './corpora.js';

export interface Scored {
  gold: string;
  /** Predicted label, OOS for "no intent". */
  predicted: string;
}

export interface QualityMetrics {
  accuracy: number;
  macroF1: number;
  /** In-scope utterances classified correctly (rejecting one counts as an error). */
  inScopeAccuracy: number;
  /** Out-of-scope utterances rejected (NaN when the corpus has none). */
  oosRecall: number;
}

export function quality(results: Scored[]): QualityMetrics {
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oos = 0;
  let oosCorrect = 0;
  const labels = new Set<string>();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const { gold, predicted } of results) {
    labels.add(gold);
    const ok = gold === predicted;
    if (ok) {
      correct++;
      inc(tp, gold);
    } else {
      inc(fn, gold);
      inc(fp, predicted);
    }
    if (gold === OOS) {
      oos++;
      if (ok) oosCorrect++;
    } else {
      inScope++;
      if (ok) inScopeCorrect++;
    }
  }
  let f1Sum = 0;
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const p = t + (fp.get(label) ?? 0);
    const r = t + (fn.get(label) ?? 0);
    const precision = p ? t / p : 0;
    const recall = r ? t / r : 0;
    f1Sum += precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return {
    accuracy: correct / results.length,
    macroF1: f1Sum / labels.size,
    inScopeAccuracy: inScope ? inScopeCorrect / inScope : NaN,
    oosRecall: oos ? oosCorrect / oos : NaN,
  };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)]!;
}

/** A system's raw output for one utterance: best label and its confidence. */
export interface RawPrediction {
  label: string;
  confidence: number;
}

/** Applies a confidence threshold: below it, the prediction becomes OOS. */
export function applyThreshold(
  raw: RawPrediction[],
  gold: Utterance[],
  threshold: number,
): Scored[] {
  return raw.map((r, i) => ({
    gold: gold[i]!.label,
    predicted: r.label !== OOS && r.confidence >= threshold ? r.label : OOS,
  }));
}

/**
 * The OOS threshold, chosen on validation data only: the highest OOS recall whose in-scope
 * accuracy stays at or above `minInScope` (ties → the lower threshold).
 */
export function chooseThreshold(
  raw: RawPrediction[],
  validation: Utterance[],
  minInScope: number,
): number {
  let best = 0;
  let bestRecall = -1;
  for (let t = 0; t <= 0.99; t = Math.round((t + 0.01) * 100) / 100) {
    const m = quality(applyThreshold(raw, validation, t));
    if (m.inScopeAccuracy >= minInScope && m.oosRecall > bestRecall) {
      best = t;
      bestRecall = m.oosRecall;
    }
  }
  return best;
}
