/**
 * Automatic hyper-parameter selection for small training sets: stratified k-fold
 * cross-validation on the training examples only, over a short list of classifier variants.
 * With a few dozen sentences no single setting suits every catalogue (bench/tune.ts showed
 * options that help one small corpus hurt another), so each catalogue picks its own; large
 * catalogues keep the defaults, which were chosen on validation data and cost nothing extra.
 */
import {
  DEFAULT_CLASSIFIER,
  SoftmaxClassifier,
  type ClassifierOptions,
  type TrainingExample,
} from './classifier.js';

/**
 * Catalogues with at least this many examples (background included) skip selection: they have
 * enough data for the defaults, and selection costs candidates × folds × repetitions trainings
 * (the shipped catalogue's start-up and CLINC150's training time stay as they were).
 */
export const SELECTION_MAX_EXAMPLES = 500;

/** Number of cross-validation folds (stratified by label). */
export const SELECTION_FOLDS = 4;

/** Cross-validation is repeated over this many different fold assignments (less noise). */
export const SELECTION_REPETITIONS = 3;

/**
 * The variants compared, each a change to the base options. The first is the base itself and
 * wins ties, so a catalogue only moves off the defaults on evidence. The others are the
 * single-option changes that helped at least one small corpus in bench/tune.ts's
 * cross-validation inside the Braun training splits (never a test split).
 */
export const SELECTION_CANDIDATES: readonly Partial<ClassifierOptions>[] = [
  {},
  { classBalance: 0.5 },
  { features: { ...DEFAULT_CLASSIFIER.features, charMin: 2 } },
  { wordWeight: 1 },
  { centroidTemperature: 0.2 },
];

/**
 * Applied under every candidate on small sets: unstemmed words as extra features. In
 * bench/tune.ts it raised cross-validated accuracy on all three Braun training splits
 * (and Schuster eval slightly) but cost CLINC150 a point of validation OOS recall, so large
 * catalogues do not get it.
 */
export const SMALL_SET_FEATURES: Partial<ClassifierOptions['features']> = { rawWords: true };

/** `candidate` over `base`, feature options merged field by field. */
function withCandidate(
  base: Partial<ClassifierOptions>,
  candidate: Partial<ClassifierOptions>,
): Partial<ClassifierOptions> {
  return {
    ...base,
    ...candidate,
    features: {
      ...DEFAULT_CLASSIFIER.features,
      ...SMALL_SET_FEATURES,
      ...base.features,
      ...candidate.features,
    },
  };
}

export interface Selection {
  options: Partial<ClassifierOptions>;
  /** Cross-validated accuracy per candidate, in SELECTION_CANDIDATES order (empty if skipped). */
  scores: number[];
}

/**
 * Fold index per example: within each label, examples go round-robin to folds in a fixed
 * pseudo-random order, so every fold sees every label's share and the result is deterministic.
 */
export function stratifiedFolds(
  examples: TrainingExample[],
  folds: number,
  repetition = 0,
): Int32Array {
  const assignment = new Int32Array(examples.length);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), i]));
  let offset = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const members = byLabel.get(label)!;
    // Knuth multiplicative hash of the position: a fixed shuffle that does not follow file order.
    const key = (i: number): number => ((i + repetition * 40503) * 2654435761) >>> 0;
    members.sort((a, b) => key(a) - key(b));
    // Continue the round-robin across labels so singleton labels do not all land in fold 0.
    members.forEach((i, n) => (assignment[i] = (offset + n) % folds));
    offset += members.length;
  }
  return assignment;
}

/** Share of held-out examples whose label is predicted, over all folds. */
function crossValidatedAccuracy(
  examples: TrainingExample[],
  assignment: Int32Array,
  folds: number,
  options: Partial<ClassifierOptions>,
): number {
  let correct = 0;
  let total = 0;
  for (let k = 0; k < folds; k++) {
    const train = examples.filter((_, i) => assignment[i] !== k);
    const held = examples.filter((_, i) => assignment[i] === k);
    if (train.length === 0 || held.length === 0) continue;
    const model = SoftmaxClassifier.train(train, options);
    for (const e of held) if (model.predict(e.text, e.language).label === e.label) correct++;
    total += held.length;
  }
  return total === 0 ? 0 : correct / total;
}

/**
 * Chooses classifier options for `examples`: `base` unchanged for large sets, otherwise the
 * candidate (applied over `base`) with the best cross-validated accuracy, earliest on ties.
 */
export function selectClassifierOptions(
  examples: TrainingExample[],
  base: Partial<ClassifierOptions> = {},
): Selection {
  const labels = new Set(examples.map((e) => e.label));
  if (examples.length >= SELECTION_MAX_EXAMPLES || labels.size < 2) {
    return { options: base, scores: [] };
  }
  const folds = SELECTION_FOLDS;
  const reps = SELECTION_REPETITIONS;
  const assignments = Array.from({ length: reps }, (_, r) => stratifiedFolds(examples, folds, r));
  const scores = SELECTION_CANDIDATES.map((candidate) => {
    let sum = 0;
    for (const assignment of assignments)
      sum += crossValidatedAccuracy(examples, assignment, folds, withCandidate(base, candidate));
    return sum / reps;
  });
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return { options: withCandidate(base, SELECTION_CANDIDATES[best]!), scores };
}
