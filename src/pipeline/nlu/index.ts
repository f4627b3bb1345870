/**
 * Charla's NLU: per-message language detection, a softmax intent classifier over word and
 * character n-grams (see classifier.ts), and entity extraction. `npm run bench:nlu` measures this
 * very object (`createNlu`), trained on the public corpora instead of the shipped catalogue.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition, Nlu, NluResult } from '../../kernel/contracts/nlu.js';
import { SoftmaxClassifier, type ClassifierOptions, type TrainingExample } from './classifier.js';
import { extractEntities } from './entities.js';
import { LanguageDetector } from './language.js';
import { selectClassifierOptions } from './model-selection.js';
import { OUT_OF_DOMAIN } from './out-of-domain.js';

export { extractEntities, type EntityOptions } from './entities.js';
export { detectLanguage, LanguageDetector } from './language.js';

/**
 * Minimum probability for an intent to be acted on with the shipped catalogue: held-out
 * phrasings score well above it, off-topic text lands in the background class or below it.
 * Overridable with NLU_THRESHOLD.
 */
export const DEFAULT_THRESHOLD = 0.35;

/** Label of the background class; never returned as an intent. */
const NONE = '\u0000none';

export interface NluOptions {
  threshold?: number;
  /** Language assumed when a message carries no evidence of either ("ok", "👍"). */
  defaultLanguage?: Locale;
  /**
   * Utterances trained as "no intent" next to the catalogue. Defaults to the built-in general
   * chit-chat (out-of-domain.ts); the benchmark passes a corpus's own out-of-scope training data.
   */
  background?: Partial<Record<Locale, string[]>>;
  /** Classifier hyper-parameters (the benchmark's ablations); defaults are the production ones. */
  classifier?: Partial<ClassifierOptions>;
  /**
   * Cross-validate a few classifier variants on small catalogues and train the best
   * (model-selection.ts). Default true; off for ablations that must train exactly `classifier`.
   */
  modelSelection?: boolean;
}

/** The intent decision without entity extraction. */
export interface Classification {
  intent: string | null;
  /** Probability of the best catalogue intent (0 when the background class wins). */
  confidence: number;
  language: Locale;
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

export interface CharlaNlu extends Nlu {
  train(catalogue: IntentDefinition[], options?: TrainOptions): void;
  /** The classifier options the last training used (after model selection), if it trained. */
  trainedWith(): Partial<ClassifierOptions> | undefined;
  classify(text: string): Classification;
  /**
   * The `n` most probable catalogue intents with their probabilities, threshold or not (the
   * studio shows the runner-ups; the unanswered list shows the closest intent).
   */
  rank(text: string, n?: number): Array<{ intent: string; confidence: number }>;
}

export function createNlu(opts: NluOptions = {}): CharlaNlu {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const defaultLanguage = opts.defaultLanguage ?? 'es';
  const background = opts.background ?? OUT_OF_DOMAIN;
  let classifier: SoftmaxClassifier | null = null;
  let trainedOptions: Partial<ClassifierOptions> | undefined;
  let detector = new LanguageDetector();

  function classify(text: string): Classification {
    const language = detector.detect(text, defaultLanguage);
    if (!classifier) return { intent: null, confidence: 0, language };
    const prediction = classifier.predict(text, language);
    if (prediction.label === NONE) return { intent: null, confidence: 0, language };
    return {
      intent: prediction.probability >= threshold ? prediction.label : null,
      confidence: prediction.probability,
      language,
    };
  }

  return {
    train(catalogue: IntentDefinition[], trainOptions: TrainOptions = {}): void {
      const examples: TrainingExample[] = [];
      const nextDetector = new LanguageDetector();
      for (const intent of catalogue) {
        for (const language of ['es', 'en'] as const) {
          for (const text of intent.training[language] ?? []) {
            examples.push({ text, label: intent.name, language });
            nextDetector.learn(text, language);
          }
        }
      }
      detector = nextDetector;
      if (examples.length === 0) {
        classifier = null;
        trainedOptions = undefined;
        return;
      }
      for (const language of ['es', 'en'] as const) {
        for (const text of background[language] ?? []) {
          examples.push({ text, label: NONE, language });
        }
      }
      const options = trainOptions.classifier
        ? trainOptions.classifier
        : opts.modelSelection === false
          ? opts.classifier
          : selectClassifierOptions(examples, opts.classifier).options;
      classifier = SoftmaxClassifier.train(examples, options);
      trainedOptions = options ?? {};
    },

    trainedWith: () => trainedOptions,

    classify,

    rank(text: string, n = 3) {
      if (!classifier) return [];
      const model = classifier;
      const { probabilities } = model.predict(text, detector.detect(text, defaultLanguage));
      return [...probabilities]
        .map((confidence, i) => ({ intent: model.labels[i]!, confidence }))
        .filter((r) => r.intent !== NONE)
        .sort((a, b) => b.confidence - a.confidence)
        .slice(0, n);
    },

    parse(text: string): NluResult {
      const result = classify(text);
      return { ...result, entities: extractEntities(text, result.language) };
    },
  };
}
