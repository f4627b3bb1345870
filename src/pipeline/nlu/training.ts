/**
 * What one training of the NLU is, as pure functions of the catalogue and the settings that
 * change the model: the examples (catalogue phrases and the background "no intent" class, with
 * references read as one word), the per-catalogue option choice and the classifier itself.
 * index.ts trains with them in place; trained-models.ts runs them in a worker thread and caches
 * their result.
 */
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import {
  SoftmaxClassifier,
  type ClassifierOptions,
  type ClassifierSnapshot,
  type TrainingExample,
} from './classifier.js';
import { LanguageDetector } from './language.js';
import { selectClassifierOptions } from './model-selection.js';
import { OUT_OF_DOMAIN } from './out-of-domain.js';
import { readingOf } from './reading.js';

/** Label of the background class; never returned as an intent. */
export const NONE = '\u0000none';

const LOCALES: readonly Locale[] = ['es', 'en'];

/** The NLU options that change what training learns (the rest only change the decision). */
export interface TrainingSettings {
  background?: Partial<Record<Locale, string[]>>;
  classifier?: Partial<ClassifierOptions>;
  modelSelection?: boolean;
}

/** How one training runs. */
export interface TrainOptions {
  /**
   * Train exactly these classifier options, without the per-catalogue selection: a published
   * catalogue version carries the options chosen once at publish time, so every instance trains
   * once instead of repeating the selection's cross-validation.
   */
  classifier?: Partial<ClassifierOptions>;
}

/** The catalogue's phrases, then (when there are any) the background phrases. */
export function trainingExamples(
  catalogue: IntentDefinition[],
  background: Partial<Record<Locale, string[]>> = OUT_OF_DOMAIN,
): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const intent of catalogue)
    for (const language of LOCALES)
      for (const text of intent.training[language] ?? [])
        examples.push({ text: readingOf(text), label: intent.name, language });
  if (examples.length === 0) return examples;
  for (const language of LOCALES)
    for (const text of background[language] ?? [])
      examples.push({ text: readingOf(text), label: NONE, language });
  return examples;
}

/** The language detector taught the catalogue's phrases (cheap: trigram counts). */
export function learnLanguages(catalogue: IntentDefinition[]): LanguageDetector {
  const detector = new LanguageDetector();
  for (const intent of catalogue)
    for (const language of LOCALES)
      for (const text of intent.training[language] ?? []) detector.learn(text, language);
  return detector;
}

function optionsFor(
  examples: TrainingExample[],
  settings: TrainingSettings,
  trainOptions: TrainOptions,
): Partial<ClassifierOptions> | undefined {
  if (trainOptions.classifier) return trainOptions.classifier;
  if (settings.modelSelection === false) return settings.classifier;
  return selectClassifierOptions(examples, settings.classifier).options;
}

/**
 * The classifier options a training of `catalogue` would use, without training it: what a
 * publish stores with the version (model selection runs for small catalogues only).
 */
export function chooseClassifierOptions(
  catalogue: IntentDefinition[],
  settings: TrainingSettings = {},
): Partial<ClassifierOptions> | undefined {
  const examples = trainingExamples(catalogue, settings.background);
  if (examples.length === 0) return undefined;
  return optionsFor(examples, settings, {}) ?? {};
}

export interface TrainedClassifier {
  /** null when the catalogue has no phrases. */
  classifier: SoftmaxClassifier | null;
  /** The classifier options used (after model selection); undefined when nothing was trained. */
  trainedWith: Partial<ClassifierOptions> | undefined;
}

export function trainClassifier(
  catalogue: IntentDefinition[],
  settings: TrainingSettings = {},
  trainOptions: TrainOptions = {},
): TrainedClassifier {
  const examples = trainingExamples(catalogue, settings.background);
  if (examples.length === 0) return { classifier: null, trainedWith: undefined };
  const options = optionsFor(examples, settings, trainOptions);
  return { classifier: SoftmaxClassifier.train(examples, options), trainedWith: options ?? {} };
}

/** A trained classifier as plain data: what a worker posts back and the cache stores. */
export interface TrainedSnapshot {
  snapshot: ClassifierSnapshot | null;
  trainedWith: Partial<ClassifierOptions> | undefined;
}

/** trainClassifier as plain data: the job trained-models.ts runs in a worker thread. */
export function trainSnapshot(
  catalogue: IntentDefinition[],
  settings: TrainingSettings = {},
  trainOptions: TrainOptions = {},
): TrainedSnapshot {
  const { classifier, trainedWith } = trainClassifier(catalogue, settings, trainOptions);
  return { snapshot: classifier?.toSnapshot() ?? null, trainedWith };
}
