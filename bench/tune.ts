/**
 * Hyper-parameter exploration on VALIDATION data only (never the test splits):
 * `npx tsx bench/tune.ts '{"epochs":8}' '{"features":{...}}'` prints, per variant, CLINC150 val
 * in-scope accuracy and the OOS recall reachable at val in-scope ≥ 0.91, Schuster eval accuracy,
 * and repeated 2-fold cross-validated accuracy on each Braun training split. Variants train
 * exactly as given; SELECT=1 turns on createNlu's model selection for small training sets
 * (src/pipeline/nlu/model-selection.ts), which then runs nested inside the Braun cross-validation.
 * ES_CV=1 scores only the Spanish corpus, by stratified 5-fold cross-validation on its TRAINING
 * split (accuracy and macro-F1; NLPJS=1 adds NLP.js in the same folds), for Spanish-specific
 * choices (tokenisation, stemming, accents, character n-grams) that must not look at test.
 */
import { loadBraun, loadClinc150, loadSchusterEs, type Utterance } from './corpora.js';
import { applyThreshold, chooseThreshold, quality } from './metrics.js';
import { charlaSystem, nlpjsSystem, type BenchSystem } from './systems.js';
import { DEFAULT_FEATURES, foldText } from '../src/pipeline/nlu/features.js';
import type { ClassifierOptions } from '../src/pipeline/nlu/classifier.js';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'nlu');

async function score(
  opts: Partial<ClassifierOptions>,
  train: Utterance[],
  val: Utterance[],
  language: 'es' | 'en',
) {
  const sys = charlaSystem({ classifier: opts, modelSelection: process.env.SELECT === '1' });
  const t = process.cpuUsage();
  await sys.train(train, language);
  const secs = process.cpuUsage(t).user / 1e6;
  const raw = [];
  for (const u of val) raw.push(await sys.predict(u.text));
  return { raw, secs };
}

/** Stratified k-fold: per label, its i-th utterance (in the corpus's shuffled order) goes to fold i % k. */
function stratifiedFolds(items: Utterance[], k: number): number[] {
  const seen = new Map<string, number>();
  return items.map((u) => {
    const n = seen.get(u.label) ?? 0;
    seen.set(u.label, n + 1);
    return n % k;
  });
}

async function crossValidate(makeSystem: () => BenchSystem, items: Utterance[], k = 5) {
  const fold = stratifiedFolds(items, k);
  const scored: { label: string; predicted: string }[] = [];
  for (let f = 0; f < k; f++) {
    const sys = makeSystem();
    await sys.train(
      items.filter((_, i) => fold[i] !== f),
      'es',
    );
    for (const [i, u] of items.entries()) {
      if (fold[i] !== f) continue;
      // ES_STRIP=1: held-out text without accents or capitals, as customers often type it.
      const text = process.env.ES_STRIP === '1' ? foldText(u.text) : u.text;
      scored.push({ label: u.label, predicted: (await sys.predict(text)).label });
    }
  }
  const labels = [...new Set(items.map((u) => u.label))];
  const f1s = labels.map((l) => {
    const tp = scored.filter((r) => r.label === l && r.predicted === l).length;
    const fp = scored.filter((r) => r.label !== l && r.predicted === l).length;
    const fn = scored.filter((r) => r.label === l && r.predicted !== l).length;
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  const accuracy = scored.filter((r) => r.label === r.predicted).length / scored.length;
  return { accuracy, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length };
}

if (process.env.ES_CV === '1') {
  const es = loadSchusterEs(DATA);
  const show = (name: string, r: { accuracy: number; macroF1: number }) =>
    console.log(
      `${name}\n    es train 5-fold cv acc ${(100 * r.accuracy).toFixed(2)} macro-F1 ${(100 * r.macroF1).toFixed(2)}`,
    );
  if (process.env.NLPJS === '1') show('nlpjs', await crossValidate(nlpjsSystem, es.train));
  for (const arg of process.argv.slice(2).length ? process.argv.slice(2) : ['{}']) {
    const v = JSON.parse(arg) as Partial<ClassifierOptions>;
    if (v.features) v.features = { ...DEFAULT_FEATURES, ...v.features };
    const make = () => charlaSystem({ classifier: v, modelSelection: process.env.SELECT === '1' });
    show(JSON.stringify(v), await crossValidate(make, es.train));
  }
  process.exit(0);
}

const variants = process.argv.slice(2).map((a) => JSON.parse(a) as Partial<ClassifierOptions>);
if (variants.length === 0) variants.push({});
const skipClinc = process.env.SKIP_CLINC === '1';
for (const v of variants) {
  if (v.features) v.features = { ...DEFAULT_FEATURES, ...v.features };
  const parts: string[] = [];
  if (!skipClinc) {
    const clinc = loadClinc150(DATA);
    const { raw, secs } = await score(v, clinc.train, clinc.validation, 'en');
    const th = chooseThreshold(raw, clinc.validation, 0.91);
    const m0 = quality(applyThreshold(raw, clinc.validation, 0));
    const m = quality(applyThreshold(raw, clinc.validation, th));
    parts.push(
      `clinc val raw ${(100 * m0.inScopeAccuracy).toFixed(2)} | th ${th} in ${(100 * m.inScopeAccuracy).toFixed(2)} oos ${(100 * m.oosRecall).toFixed(1)} | ${secs.toFixed(1)}s cpu`,
    );
  }
  if (process.env.ONLY_CLINC === '1') {
    console.log(JSON.stringify(v), '\n   ', parts.join(' | '));
    continue;
  }
  const es = loadSchusterEs(DATA);
  const esr = await score(v, es.train, es.validation, 'es');
  parts.push(
    `es eval ${(100 * quality(applyThreshold(esr.raw, es.validation, 0)).accuracy).toFixed(2)}`,
  );
  for (const [file, name] of [
    ['ChatbotCorpus.json', 'chat'],
    ['AskUbuntuCorpus.json', 'ubuntu'],
    ['WebApplicationsCorpus.json', 'web'],
  ] as const) {
    const c = loadBraun(DATA, file, name);
    // Repeated 2-fold CV: train on half, score the other half (the corpora's own regime is
    // about 1/3 train, 2/3 test), over fixed pseudo-random splits.
    let correct = 0;
    let total = 0;
    for (let rep = 0; rep < 10; rep++) {
      const side = c.train.map((_, i) => ((i * 2654435761 + rep * 40503) >>> 7) % 2);
      for (const k of [0, 1]) {
        const tr = c.train.filter((_, i) => side[i] !== k);
        const va = c.train.filter((_, i) => side[i] === k);
        const { raw } = await score(v, tr, va, 'en');
        correct += raw.filter((r, i) => r.label === va[i]!.label).length;
        total += va.length;
      }
    }
    parts.push(`${name} cv ${((100 * correct) / total).toFixed(1)}`);
  }
  console.log(JSON.stringify(v), '\n   ', parts.join(' | '));
}
