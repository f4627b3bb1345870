/**
 * When the bot asks instead of acting or failing (the clarify stage): two intents too close to
 * call, or a best intent of middling confidence. Pure, so bench/clarify-thresholds.ts measures
 * this very decision on the NLU development set, where its thresholds come from.
 */
import type { NluResult } from '../../kernel/contracts/nlu.js';

export interface ClarifyThresholds {
  /** No intent reached the NLU threshold: ask about the best one if it is at least this. */
  low: number;
  /** An intent was recognised: ask between it and the runner-up when they are closer than this. */
  margin: number;
  /** A runner-up below this is not worth offering (the question names the best one alone). */
  floor: number;
}

/**
 * Measured on bench/nlu-dev-set (bench/clarify-thresholds.ts, BENCHMARKS.md): the setting with the
 * best score where acting right counts 1, asking with the right intent among the buttons 0.8,
 * answering an out-of-scope message with no intent 1 and asking it 0.5, acting wrongly −1.
 */
export const CLARIFY_THRESHOLDS: ClarifyThresholds = { low: 0.45, margin: 0.6, floor: 0.05 };

/**
 * The intents to offer (one or two, best first), or none: act on the NLU's reading as it is.
 * `offerable` says which intents the bot can name (a label; not greetings or thanks).
 */
export function intentsToOffer(
  nlu: Pick<NluResult, 'intent' | 'candidates'>,
  offerable: (intent: string) => boolean,
  t: ClarifyThresholds = CLARIFY_THRESHOLDS,
): string[] {
  const ranked = nlu.candidates ?? [];
  const [first, second] = ranked;
  // The best reading is something the bot cannot offer (a greeting, a thank-you): no question.
  if (!first || !offerable(first.intent)) return [];
  const runnerUp = second && offerable(second.intent) ? second : undefined;
  if (nlu.intent === null) {
    if (first.confidence < t.low) return [];
    return runnerUp && runnerUp.confidence >= t.floor
      ? [first.intent, runnerUp.intent]
      : [first.intent];
  }
  if (nlu.intent !== first.intent || !runnerUp) return [];
  return first.confidence - runnerUp.confidence < t.margin && runnerUp.confidence >= t.floor
    ? [first.intent, runnerUp.intent]
    : [];
}
