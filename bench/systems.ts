/**
 * The two systems under test behind one shape: Charla's production NLU (`createNlu`) and the
 * NLP.js peer (node-nlp's NlpManager). Both see the same training utterances, out-of-scope
 * training utterances included.
 */
import { createRequire } from 'node:module';
import type { Locale } from '../src/kernel/contracts/messages.js';
import type { IntentDefinition } from '../src/kernel/contracts/nlu.js';
import { createNlu, type CharlaNlu, type NluOptions } from '../src/pipeline/nlu/index.js';
import { OOS, type Utterance } from './corpora.js';
import type { RawPrediction } from './metrics.js';

export interface BenchSystem {
  readonly name: 'charla' | 'nlpjs';
  train(train: Utterance[], language: Locale): Promise<void>;
  predict(text: string): Promise<RawPrediction> | RawPrediction;
}

/** Utterances → the catalogue shape the bot trains on; OOS utterances become background. */
export function toCatalogue(
  train: Utterance[],
  language: Locale,
): { catalogue: IntentDefinition[]; background: string[] } {
  const byLabel = new Map<string, string[]>();
  const background: string[] = [];
  for (const u of train) {
    if (u.label === OOS) background.push(u.text);
    else byLabel.set(u.label, [...(byLabel.get(u.label) ?? []), u.text]);
  }
  const catalogue = [...byLabel].map(([name, texts]) => ({
    name,
    training: { es: language === 'es' ? texts : [], en: language === 'en' ? texts : [] },
  }));
  return { catalogue, background };
}

export function charlaSystem(overrides: Partial<NluOptions> = {}): BenchSystem {
  let nlu: CharlaNlu | null = null;
  return {
    name: 'charla',
    async train(train, language) {
      const { catalogue, background } = toCatalogue(train, language);
      // Threshold 0: the benchmark applies the OOS threshold it chose on validation data.
      nlu = createNlu({ threshold: 0, background: { [language]: background }, ...overrides });
      nlu.train(catalogue);
    },
    predict(text) {
      if (!nlu) throw new Error('train first');
      const r = nlu.classify(text);
      return { label: r.intent ?? OOS, confidence: r.confidence };
    },
  };
}

interface NlpManagerLike {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
}
type NlpManagerClass = new (settings: object) => NlpManagerLike;

export function nlpjsSystem(): BenchSystem {
  const require = createRequire(import.meta.url);
  const { NlpManager } = require('node-nlp') as { NlpManager: NlpManagerClass };
  let manager: NlpManagerLike | null = null;
  let locale = 'en';
  let noneIsALabel = false;
  return {
    name: 'nlpjs',
    async train(train, language) {
      locale = language;
      // Braun's corpora have an intent literally named "None"; there, None is that label.
      noneIsALabel = train.some((u) => u.label === 'None');
      // autoSave off: NlpManager otherwise writes model.nlp into the working directory.
      manager = new NlpManager({
        languages: [language],
        forceNER: true,
        autoSave: false,
        nlu: { log: false },
      });
      for (const u of train) manager.addDocument(language, u.text, u.label);
      await manager.train();
    },
    async predict(text) {
      if (!manager) throw new Error('train first');
      const r = await manager.process(locale, text);
      const label = r.intent === 'None' && !noneIsALabel ? OOS : r.intent;
      return { label, confidence: r.score };
    },
  };
}
