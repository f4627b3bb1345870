/**
 * `npx tsx bench/nlu-calibrate.ts`: fits the NLU's confidence calibration
 * (src/pipeline/nlu/calibration.ts) on the shipped catalogue. Every training phrase and every
 * background phrase is classified by a model that did not see it (5 folds, as the studio's
 * report does); a logistic regression of "the top intent was right" on logit(raw probability)
 * gives the intercept and slope to paste into SHIPPED_CALIBRATION. Never reads the dev set.
 */
import type { Locale } from '../src/kernel/contracts/messages.js';
import type { IntentDefinition } from '../src/kernel/contracts/nlu.js';
import { calibrate } from '../src/pipeline/nlu/calibration.js';
import { createNlu } from '../src/pipeline/nlu/index.js';
import { OUT_OF_DOMAIN } from '../src/pipeline/nlu/out-of-domain.js';
import { loadShippedCatalogue } from './dev-set.js';

const FOLDS = 5;
const LOCALES: Locale[] = ['es', 'en'];

/** (logit of the raw top probability, 1 if the top intent was right) per held-out phrase. */
function heldOutPredictions(catalogue: IntentDefinition[]): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  const keep = (k: number) => (_: string, j: number) => j % FOLDS !== k;
  const held = (k: number) => (_: string, j: number) => j % FOLDS === k;
  for (let k = 0; k < FOLDS; k++) {
    const nlu = createNlu({
      threshold: 0,
      calibration: null,
      modelSelection: false,
      background: { es: OUT_OF_DOMAIN.es.filter(keep(k)), en: OUT_OF_DOMAIN.en.filter(keep(k)) },
    });
    nlu.train(
      catalogue.map((i) => ({
        ...i,
        training: { es: i.training.es.filter(keep(k)), en: i.training.en.filter(keep(k)) },
      })),
    );
    const add = (text: string, expected: string | null) => {
      const r = nlu.classify(text);
      if (r.intent === null) return; // the background class won: nothing to calibrate
      const p = Math.min(Math.max(r.confidence, 1e-6), 1 - 1e-6);
      points.push([Math.log(p / (1 - p)), r.intent === expected ? 1 : 0]);
    };
    for (const intent of catalogue)
      for (const language of LOCALES)
        for (const text of intent.training[language].filter(held(k))) add(text, intent.name);
    for (const language of LOCALES)
      for (const text of OUT_OF_DOMAIN[language].filter(held(k))) add(text, null);
  }
  return points;
}

/** Logistic regression of y on x by gradient descent (two parameters, a few thousand points). */
function fitLogistic(points: Array<[number, number]>): { intercept: number; slope: number } {
  let a = 0;
  let b = 1;
  for (let step = 0; step < 5000; step++) {
    let ga = 0;
    let gb = 0;
    for (const [x, y] of points) {
      const q = 1 / (1 + Math.exp(-(a + b * x)));
      ga += q - y;
      gb += (q - y) * x;
    }
    a -= (0.5 * ga) / points.length;
    b -= (0.5 * gb) / points.length;
  }
  return { intercept: a, slope: b };
}

const points = heldOutPredictions(loadShippedCatalogue());
const fit = fitLogistic(points);
console.log(`${points.length} held-out predictions`);
console.log(
  `SHIPPED_CALIBRATION = { intercept: ${fit.intercept.toFixed(2)}, slope: ${fit.slope.toFixed(2)} }`,
);
for (const raw of [0.15, 0.2, 0.25, 0.3, 0.35, 0.5, 0.7])
  console.log(`  raw ${raw.toFixed(2)} → ${calibrate(raw, fit).toFixed(3)}`);
