/**
 * `npx tsx bench/nlu-cv-misses.ts`: the studio's cross-validation (src/features/catalogue/report.ts)
 * on the shipped catalogue, printing every training phrase a model that never saw it got wrong
 * (fallback or another intent), to find near-duplicate or too-short phrases behind the confusions.
 */
import { catalogueReport } from '../src/features/catalogue/report.js';
import { createNlu } from '../src/pipeline/nlu/index.js';
import type { IntentDefinition } from '../src/kernel/contracts/nlu.js';
import { loadShippedCatalogue } from './dev-set.js';

const FOLDS = 5;
const catalogue = loadShippedCatalogue();
const report = catalogueReport(catalogue);
console.log(
  `cross-validated accuracy ${report.accuracy.toFixed(3)}, fallback ${report.fallbackRate.toFixed(3)}`,
);
for (const i of report.intents)
  console.log(
    `  ${i.intent.padEnd(18)} ${i.accuracy.toFixed(3)} (${i.fallbacks} fallbacks of ${i.tested})`,
  );
for (const c of report.confusions) console.log(`  confused ${c.intents.join(' ↔ ')}: ${c.count}`);
for (const d of report.duplicates)
  console.log(`  duplicate "${d.phrase}": ${d.intents.join(', ')}`);
if (process.argv.includes('--misses')) {
  // The same folds as the report (round-robin per intent and language).
  for (let fold = 0; fold < FOLDS; fold++) {
    const held = new Set<string>();
    const train: IntentDefinition[] = catalogue.map((intent) => ({
      ...intent,
      training: {
        es: intent.training.es.filter((t, i) =>
          i % FOLDS === fold ? (held.add(`${intent.name}\u0000es\u0000${t}`), false) : true,
        ),
        en: intent.training.en.filter((t, i) =>
          i % FOLDS === fold ? (held.add(`${intent.name}\u0000en\u0000${t}`), false) : true,
        ),
      },
    }));
    const nlu = createNlu({ modelSelection: false });
    nlu.train(train);
    for (const key of held) {
      const [intent, language, text] = key.split('\u0000') as [string, string, string];
      const r = nlu.classify(text);
      if (r.intent !== intent)
        console.log(
          `MISS [${language}] ${intent} → ${r.intent ?? 'none'} (${r.confidence.toFixed(2)}): ${text}`,
        );
    }
  }
}
