/**
 * Charla's NLU: per-message language detection, a softmax intent classifier over word and
 * character n-grams (see classifier.ts), and entity extraction. The decision reads references as
 * one word and a message of several sentences sentence by sentence too (reading.ts): a greeting
 * or a thank-you that frames a request does not hide the request. `npm run bench:nlu` measures
 * this very object (`createNlu`), trained on the public corpora instead of the shipped catalogue.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition, Nlu, NluResult } from '../../kernel/contracts/nlu.js';
import type { ClassifierOptions, SoftmaxClassifier } from './classifier.js';
import { extractEntities } from './entities.js';
import { LanguageDetector } from './language.js';
import { calibrate, SHIPPED_CALIBRATION, type Calibration } from './calibration.js';
import { readingOf, sentences } from './reading.js';
import { prepareClassifier, type ModelStore } from './trained-models.js';
import {
  learnLanguages,
  NONE,
  trainClassifier,
  type TrainedClassifier,
  type TrainOptions,
} from './training.js';

export { extractEntities, type EntityOptions } from './entities.js';
export { detectLanguage, LanguageDetector } from './language.js';
export { chooseClassifierOptions, type TrainOptions } from './training.js';
export { nluCodeVersion, type ModelStore } from './trained-models.js';

/**
 * Minimum calibrated confidence (calibration.ts: the probability that the top intent is right)
 * for an intent to be acted on: the bot acts when it is more likely right than wrong; off-topic
 * text lands in the background class or below it. Overridable with NLU_THRESHOLD.
 */
export const DEFAULT_THRESHOLD = 0.5;

/**
 * The shipped intents that frame a message rather than ask for something: in "Hola, buenas.
 * Mi pedido no ha llegado" the request is what the customer wants answered.
 */
export const FRAMING_INTENTS: readonly string[] = ['greeting', 'thanks', 'goodbye'];

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
  /**
   * Maps the classifier's probability to the confidence returned and compared with the
   * threshold; null returns raw probabilities (bench/nlu-calibrate.ts fits the map on them).
   */
  calibration?: Calibration | null;
  /** Intents a request in another sentence of the same message wins over (FRAMING_INTENTS). */
  framingIntents?: readonly string[];
  /** Where `prepare` caches trained models and whether it trains off the event loop. */
  store?: ModelStore;
}

/** How many ranked intents a classification carries (`candidates`). */
export const CANDIDATES = 3;

/** One reading of the message: its best label and, computed only when asked, its ranking. */
interface Reading {
  intent: string | null;
  confidence: number;
  ranked: () => Array<{ intent: string; confidence: number }>;
}

/** The intent decision without entity extraction. */
export interface Classification {
  intent: string | null;
  /** Probability of the best catalogue intent (0 when the background class wins). */
  confidence: number;
  language: Locale;
  /**
   * The CANDIDATES most probable catalogue intents of the reading the decision used, calibrated,
   * best first, whatever the threshold (the engine's clarify stage asks between close ones).
   */
  candidates: Array<{ intent: string; confidence: number }>;
}

/** A trained model not yet in use (`prepare`), swapped in by `use`. */
export interface PreparedModel extends TrainedClassifier {
  detector: LanguageDetector;
}

export interface CharlaNlu extends Nlu {
  /** Trains on `catalogue` now, on the calling thread, and uses the result. */
  train(catalogue: IntentDefinition[], options?: TrainOptions): void;
  /**
   * The model trained on `catalogue`, from the model cache or trained in a worker thread
   * (`NluOptions.store`), without using it yet: the caller swaps it in with `use` together with
   * whatever must change at the same moment (the catalogue's definitions).
   */
  prepare(catalogue: IntentDefinition[], options?: TrainOptions): Promise<PreparedModel>;
  /** Starts answering with `model` (synchronous: no message sees half a swap). */
  use(model: PreparedModel): void;
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
  const settings = {
    background: opts.background,
    classifier: opts.classifier,
    modelSelection: opts.modelSelection,
  };
  let classifier: SoftmaxClassifier | null = null;
  let trainedOptions: Partial<ClassifierOptions> | undefined;
  const framing = new Set(opts.framingIntents ?? FRAMING_INTENTS);
  const calibration = opts.calibration === undefined ? SHIPPED_CALIBRATION : opts.calibration;
  const confidenceOf = (p: number) => (calibration ? calibrate(p, calibration) : p);
  let detector = new LanguageDetector();

  /** The classifier's best label for one reading of the message (null: background class). */
  function read(model: SoftmaxClassifier, text: string, language: Locale): Reading {
    const prediction = model.predict(readingOf(text), language);
    const ranked = () => topIntents(model, prediction.probabilities, CANDIDATES);
    return prediction.label === NONE
      ? { intent: null, confidence: 0, ranked }
      : { intent: prediction.label, confidence: confidenceOf(prediction.probability), ranked };
  }

  /** The `n` most probable catalogue intents of one prediction, calibrated, best first. */
  function topIntents(model: SoftmaxClassifier, probabilities: Float32Array, n: number) {
    return [...probabilities]
      .map((p, i) => ({ intent: model.labels[i]!, confidence: confidenceOf(p) }))
      .filter((r) => r.intent !== NONE)
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, n);
  }

  function use(model: PreparedModel): void {
    classifier = model.classifier;
    trainedOptions = model.trainedWith;
    detector = model.detector;
  }

  function classify(text: string): Classification {
    const language = detector.detect(text, defaultLanguage);
    if (!classifier) return { intent: null, confidence: 0, language, candidates: [] };
    const isRequest = (r: Reading) =>
      r.intent !== null && !framing.has(r.intent) && r.confidence >= threshold;
    const whole = read(classifier, text, language);
    let best = whole;
    const parts = sentences(text);
    if (parts.length > 1 && !isRequest(whole)) {
      // A request in one sentence wins over nothing in the whole, and over a greeting or a
      // thank-you read with no more confidence than the request ("¿qué tal estáis?" alone must
      // not turn "Buenas, ¿qué tal estáis?" into a question about where the shop is).
      for (const part of parts) {
        const r = read(classifier, part, language);
        if (!isRequest(r)) continue;
        if (whole.intent !== null && r.confidence < whole.confidence) continue;
        if (isRequest(best) && r.confidence <= best.confidence) continue;
        best = r;
      }
    }
    return {
      intent: best.confidence >= threshold ? best.intent : null,
      confidence: best.confidence,
      language,
      candidates: best.ranked(),
    };
  }

  return {
    train(catalogue: IntentDefinition[], trainOptions: TrainOptions = {}): void {
      use({
        ...trainClassifier(catalogue, settings, trainOptions),
        detector: learnLanguages(catalogue),
      });
    },

    async prepare(catalogue: IntentDefinition[], trainOptions: TrainOptions = {}) {
      const trained = await prepareClassifier(catalogue, settings, trainOptions, opts.store ?? {});
      return { ...trained, detector: learnLanguages(catalogue) };
    },

    use,

    trainedWith: () => trainedOptions,

    classify,

    rank(text: string, n = 3) {
      if (!classifier) return [];
      const model = classifier;
      const language = detector.detect(text, defaultLanguage);
      const { probabilities } = model.predict(readingOf(text), language);
      return topIntents(model, probabilities, n);
    },

    parse(text: string): NluResult {
      const result = classify(text);
      return { ...result, entities: extractEntities(text, result.language) };
    },
  };
}
