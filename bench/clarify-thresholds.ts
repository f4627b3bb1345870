/**
 * `npx tsx bench/clarify-thresholds.ts`: where the clarify stage's thresholds
 * (src/pipeline/engine/clarify-decision.ts) come from. Trains the production NLU on the shipped
 * catalogue, reads every message of the development set (bench/nlu-dev-set, never trained on) and
 * scores a grid of thresholds with the decision itself: acting on the right intent 1, asking
 * with the right intent among the buttons 0.8 (one tap more), an out-of-scope message left
 * alone 1 and asked about 0.5 ("something else" is one tap), acting on a wrong intent −1,
 * falling back on an in-scope message 0.
 */
import { createNlu } from '../src/pipeline/nlu/index.js';
import {
  CLARIFY_THRESHOLDS,
  intentsToOffer,
  type ClarifyThresholds,
} from '../src/pipeline/engine/clarify-decision.js';
import { loadDevSet, loadShippedCatalogue, OUT_OF_SCOPE } from './dev-set.js';

const catalogue = loadShippedCatalogue();
const offerable = new Set(catalogue.filter((i) => i.label).map((i) => i.name));
const nlu = createNlu();
nlu.train(catalogue);
const readings = loadDevSet().map((m) => ({ m, r: nlu.parse(m.text) }));

interface Tally {
  acted: number;
  wrong: number;
  askedRight: number;
  askedWrong: number;
  askedWhenRight: number;
  fallback: number;
  oosNone: number;
  oosAsked: number;
  oosActed: number;
  score: number;
}

function tally(t: ClarifyThresholds): Tally {
  const s: Tally = {
    acted: 0,
    wrong: 0,
    askedRight: 0,
    askedWrong: 0,
    askedWhenRight: 0,
    fallback: 0,
    oosNone: 0,
    oosAsked: 0,
    oosActed: 0,
    score: 0,
  };
  for (const { m, r } of readings) {
    const offer = intentsToOffer(r, (i) => offerable.has(i), t);
    if (m.label === OUT_OF_SCOPE) {
      if (offer.length) {
        s.oosAsked++;
        s.score += 0.5;
      } else if (r.intent) {
        s.oosActed++;
        s.score -= 1;
      } else {
        s.oosNone++;
        s.score += 1;
      }
      continue;
    }
    if (offer.length) {
      if (r.intent === m.label) s.askedWhenRight++;
      if (offer.includes(m.label)) {
        s.askedRight++;
        s.score += 0.8;
      } else s.askedWrong++;
    } else if (r.intent === m.label) {
      s.acted++;
      s.score += 1;
    } else if (r.intent) {
      s.wrong++;
      s.score -= 1;
    } else s.fallback++;
  }
  return s;
}

const grid: Array<ClarifyThresholds & Tally> = [];
for (const low of [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5])
  for (const margin of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    for (const floor of [0.02, 0.05, 0.1, 0.2])
      grid.push({ low, margin, floor, ...tally({ low, margin, floor }) });
grid.sort((a, b) => b.score - a.score);
const line = (g: ClarifyThresholds & Tally) =>
  `low ${g.low} margin ${g.margin} floor ${g.floor}: score ${g.score.toFixed(1)} | in scope: acted right ${g.acted}, wrong ${g.wrong}, asked with the right one ${g.askedRight} (of which already right ${g.askedWhenRight}), asked without ${g.askedWrong}, fallback ${g.fallback} | out of scope: none ${g.oosNone}, asked ${g.oosAsked}, acted ${g.oosActed}`;
console.log(`${readings.length} dev-set messages`);
console.log(
  `no clarification: ${line({ low: 2, margin: 0, floor: 2, ...tally({ low: 2, margin: 0, floor: 2 }) })}`,
);
console.log(`shipped: ${line({ ...CLARIFY_THRESHOLDS, ...tally(CLARIFY_THRESHOLDS) })}`);
for (const g of grid.slice(0, 12)) console.log(line(g));
