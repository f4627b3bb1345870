/**
 * The quality report of a catalogue, computed from its own training phrases when it is published:
 * k-fold cross-validation (each phrase classified by a model that never saw it) gives accuracy
 * per intent and the intent pairs most confused with each other; plus intents with too few
 * phrases in a language and phrases that sit in two intents.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import { fileURLToPath } from 'node:url';
import { cacheKey, createDiskCache, sourceVersion } from '../../kernel/compute/disk-cache.js';
import { moduleUrl, runOffThread } from '../../kernel/compute/off-thread.js';
import {
  chooseClassifierOptions,
  createNlu,
  DEFAULT_THRESHOLD,
  nluCodeVersion,
} from '../../pipeline/nlu/index.js';
import type { ClassifierOptions } from '../../pipeline/nlu/classifier.js';
import { foldText } from '../../pipeline/nlu/features.js';
import type { CatalogueReport, IntentAccuracy } from './schemas.js';

/** Fewer phrases than this in a language and the intent is listed as thin. */
export const MIN_PHRASES_PER_LANGUAGE = 10;
export const REPORT_FOLDS = 5;
const TOP_CONFUSIONS = 10;

export interface ReportOptions {
  threshold?: number;
  defaultLanguage?: Locale;
  folds?: number;
}

const LOCALES: Locale[] = ['es', 'en'];

/** The comparable form of a phrase: folded, punctuation dropped, spaces collapsed. */
export const normalizePhrase = (text: string) =>
  foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

interface HeldOut {
  text: string;
  intent: string;
  fold: number;
}

/** Each (intent, language)'s phrases dealt round-robin into the folds: stratified, deterministic. */
function assignFolds(intents: IntentDefinition[], folds: number): HeldOut[] {
  const out: HeldOut[] = [];
  for (const intent of intents) {
    for (const language of LOCALES) {
      (intent.training[language] ?? []).forEach((text, i) =>
        out.push({ text, intent: intent.name, fold: i % folds }),
      );
    }
  }
  return out;
}

function trainingWithout(intents: IntentDefinition[], heldOut: Set<string>): IntentDefinition[] {
  return intents.map((intent) => ({
    ...intent,
    training: {
      es: intent.training.es.filter((t) => !heldOut.has(`${intent.name}\u0000${t}`)),
      en: intent.training.en.filter((t) => !heldOut.has(`${intent.name}\u0000${t}`)),
    },
  }));
}

/** Predicted intent (null = fallback) for every phrase, each by a model that did not see it. */
function crossValidate(
  intents: IntentDefinition[],
  opts: Required<ReportOptions>,
): Array<HeldOut & { predicted: string | null }> {
  const phrases = assignFolds(intents, opts.folds);
  const results: Array<HeldOut & { predicted: string | null }> = [];
  for (let fold = 0; fold < opts.folds; fold++) {
    const test = phrases.filter((p) => p.fold === fold);
    if (test.length === 0) continue;
    const nlu = createNlu({
      threshold: opts.threshold,
      defaultLanguage: opts.defaultLanguage,
      // The report judges the data, not the options: one training per fold keeps publishing fast.
      modelSelection: false,
    });
    nlu.train(trainingWithout(intents, new Set(test.map((p) => `${p.intent}\u0000${p.text}`))));
    for (const p of test) results.push({ ...p, predicted: nlu.classify(p.text).intent });
  }
  return results;
}

function confusionPairs(results: Array<{ intent: string; predicted: string | null }>) {
  const pairs = new Map<string, { intents: [string, string]; count: number }>();
  for (const r of results) {
    if (r.predicted === null || r.predicted === r.intent) continue;
    const key = [r.intent, r.predicted].sort() as [string, string];
    const id = key.join('\u0000');
    const pair = pairs.get(id) ?? { intents: key, count: 0 };
    pair.count++;
    pairs.set(id, pair);
  }
  return [...pairs.values()]
    .sort((a, b) => b.count - a.count || a.intents.join().localeCompare(b.intents.join()))
    .slice(0, TOP_CONFUSIONS);
}

function duplicatePhrases(intents: IntentDefinition[]) {
  const owners = new Map<string, { phrase: string; intents: Set<string> }>();
  for (const intent of intents) {
    for (const language of LOCALES) {
      for (const text of intent.training[language] ?? []) {
        const key = normalizePhrase(text);
        if (!key) continue;
        const entry = owners.get(key) ?? { phrase: text, intents: new Set<string>() };
        entry.intents.add(intent.name);
        owners.set(key, entry);
      }
    }
  }
  return [...owners.values()]
    .filter((e) => e.intents.size > 1)
    .map((e) => ({ phrase: e.phrase, intents: [...e.intents].sort() }));
}

export function catalogueReport(
  intents: IntentDefinition[],
  options: ReportOptions = {},
): CatalogueReport {
  const opts: Required<ReportOptions> = {
    threshold: options.threshold ?? DEFAULT_THRESHOLD,
    defaultLanguage: options.defaultLanguage ?? 'es',
    folds: options.folds ?? REPORT_FOLDS,
  };
  const results = intents.length > 1 ? crossValidate(intents, opts) : [];
  const perIntent = intents.map((intent): IntentAccuracy => {
    const mine = results.filter((r) => r.intent === intent.name);
    const correct = mine.filter((r) => r.predicted === intent.name).length;
    return {
      intent: intent.name,
      phrases: { es: intent.training.es.length, en: intent.training.en.length },
      accuracy: mine.length ? correct / mine.length : 0,
      tested: mine.length,
      fallbacks: mine.filter((r) => r.predicted === null).length,
    };
  });
  const correct = results.filter((r) => r.predicted === r.intent).length;
  return {
    folds: opts.folds,
    accuracy: results.length ? correct / results.length : 0,
    fallbackRate: results.length
      ? results.filter((r) => r.predicted === null).length / results.length
      : 0,
    intents: perIntent,
    confusions: confusionPairs(results),
    fewPhrases: intents.flatMap((intent) =>
      LOCALES.filter((l) => (intent.training[l]?.length ?? 0) < MIN_PHRASES_PER_LANGUAGE).map(
        (language) => ({
          intent: intent.name,
          language,
          count: intent.training[language]?.length ?? 0,
          minimum: MIN_PHRASES_PER_LANGUAGE,
        }),
      ),
    ),
    duplicates: duplicatePhrases(intents),
  };
}

/** What a publish computes from the catalogue before it stores the version. */
export interface PublishAnalysis {
  report: CatalogueReport;
  /** The classifier options every instance trains the version with (model-selection.ts). */
  classifier: Partial<ClassifierOptions> | undefined;
}

/** The report and the chosen classifier options (the job runAnalysis runs in a worker thread). */
export function analyseCatalogue(
  intents: IntentDefinition[],
  options: ReportOptions = {},
): PublishAnalysis {
  return {
    report: catalogueReport(intents, options),
    classifier: chooseClassifierOptions(intents, {}),
  };
}

const ANALYSIS_FORMAT = 'charla-publish-analysis-1';
let reportCode: Promise<string> | undefined;

/**
 * analyseCatalogue off the event loop (it trains one model per fold: seconds of CPU), cached in
 * `cacheDir` under the catalogue's phrases, the options and the code of the NLU and this file:
 * publishing the same phrases again (a rollback, an answer edited) costs nothing.
 */
export async function runAnalysis(
  intents: IntentDefinition[],
  options: ReportOptions,
  cacheDir: string | undefined,
): Promise<PublishAnalysis> {
  reportCode ??= sourceVersion([fileURLToPath(import.meta.url)]);
  const key = cacheKey(
    ANALYSIS_FORMAT,
    await nluCodeVersion(),
    await reportCode,
    intents.map((i) => [i.name, i.training.es, i.training.en]),
    options,
  );
  const cache = cacheDir ? createDiskCache(cacheDir) : undefined;
  const stored = await cache?.get(key);
  if (stored) {
    try {
      return JSON.parse(stored.toString('utf8')) as PublishAnalysis;
    } catch {
      // a corrupt entry: computed again below
    }
  }
  const phrases = intents.map((i) => ({ name: i.name, training: i.training }));
  const analysis = await runOffThread<PublishAnalysis>(
    moduleUrl(import.meta.url, './report'),
    'analyseCatalogue',
    [phrases, options],
  );
  await cache?.set(key, Buffer.from(JSON.stringify(analysis), 'utf8'));
  return analysis;
}
