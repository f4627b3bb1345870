/**
 * Charla's NLU: per-message language detection, a softmax intent classifier over word and
 * character n-grams (see classifier.ts), and entity extraction. The same classifier is what
 * `npm run bench:nlu` measures.
 */
import type { Locale } from '../contracts/messages.js';
import type { IntentDefinition, Nlu, NluResult } from '../contracts/nlu.js';
import { SoftmaxClassifier, type TrainingExample } from './classifier.js';
import { extractEntities } from './entities.js';
import { LanguageDetector } from './language.js';
import { OUT_OF_DOMAIN } from './out-of-domain.js';

export { extractEntities, type EntityOptions } from './entities.js';
export { detectLanguage, LanguageDetector } from './language.js';
export { SoftmaxClassifier } from './classifier.js';

/**
 * Minimum probability for an intent to be acted on. Chosen on held-out phrasings of the shipped
 * catalogue: off-topic text lands in the background class or below it; overridable (NLU_THRESHOLD).
 */
export const DEFAULT_THRESHOLD = 0.5;

/** Label of the background class trained from OUT_OF_DOMAIN; never returned as an intent. */
const NONE = '\u0000none';

export interface NluOptions {
  threshold?: number;
  /** Language assumed when a message carries no evidence of either ("ok", "👍"). */
  defaultLanguage?: Locale;
}

export function createNlu(opts: NluOptions = {}): Nlu {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const defaultLanguage = opts.defaultLanguage ?? 'es';
  let classifier: SoftmaxClassifier | null = null;
  let detector = new LanguageDetector();

  return {
    train(catalogue: IntentDefinition[]): void {
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
        return;
      }
      for (const language of ['es', 'en'] as const) {
        for (const text of OUT_OF_DOMAIN[language]) examples.push({ text, label: NONE, language });
      }
      classifier = SoftmaxClassifier.train(examples);
    },

    parse(text: string): NluResult {
      const language = detector.detect(text, defaultLanguage);
      const entities = extractEntities(text, language);
      if (!classifier) return { intent: null, confidence: 0, language, entities };
      const prediction = classifier.predict(text, language);
      const confident = prediction.label !== NONE && prediction.probability >= threshold;
      return {
        intent: confident ? prediction.label : null,
        confidence: prediction.label === NONE ? 0 : prediction.probability,
        language,
        entities,
      };
    },
  };
}
