/**
 * Regression guard on the NLU development set (bench/nlu-dev-set/dev-set.yaml, never trained on): the
 * production NLU trained on the shipped catalogue, scored message by message. The floors sit a
 * little under what the catalogue and decision reach (see BENCHMARKS.md), so a change that makes
 * the bot understand customers worse fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNlu } from '../../../src/pipeline/nlu/index.js';
import {
  loadDevSet,
  loadShippedCatalogue,
  OUT_OF_SCOPE,
  scoreDevSet,
  type DevSetScore,
} from '../../../bench/dev-set.js';
import { foldText } from '../../../src/pipeline/nlu/features.js';

/** Folded, punctuation dropped: "¡Gracias!" and "gracias" are the same phrase. */
const normalizePhrase = (text: string) =>
  foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const FLOORS = { intent: 0.93, perIntent: 0.8, outOfScope: 0.88, language: 0.98 };

describe('NLU development set', () => {
  let score: DevSetScore;

  beforeAll(() => {
    const nlu = createNlu();
    nlu.train(loadShippedCatalogue());
    score = scoreDevSet(nlu, loadDevSet());
  });

  it('is never trained on', () => {
    const trained = new Set(
      loadShippedCatalogue()
        .flatMap((i) => [...i.training.es, ...i.training.en])
        .map(normalizePhrase),
    );
    const leaked = loadDevSet().filter((m) => trained.has(normalizePhrase(m.text)));
    expect(leaked.map((m) => m.text)).toEqual([]);
  });

  it('covers every shipped intent in both languages, and out-of-scope messages', () => {
    const names = loadShippedCatalogue().map((i) => i.name);
    for (const label of [...names, OUT_OF_SCOPE]) {
      for (const language of ['es', 'en'] as const) {
        const group = score.groups.find((g) => g.label === label && g.language === language);
        expect(group?.total ?? 0, `${label}/${language}`).toBeGreaterThanOrEqual(
          label === OUT_OF_SCOPE ? 60 : 25,
        );
      }
    }
  });

  it(`gives the right intent to at least ${FLOORS.intent} of in-scope messages`, () => {
    expect(score.intentAccuracy).toBeGreaterThanOrEqual(FLOORS.intent);
  });

  it(`gets every intent right in each language at least ${FLOORS.perIntent} of the time`, () => {
    const weak = score.groups
      .filter((g) => g.label !== OUT_OF_SCOPE && g.correct / g.total < FLOORS.perIntent)
      .map((g) => `${g.label}/${g.language} ${g.correct}/${g.total}`);
    expect(weak).toEqual([]);
  });

  it(`gives no intent to at least ${FLOORS.outOfScope} of out-of-scope messages`, () => {
    expect(score.outOfScopeRejection).toBeGreaterThanOrEqual(FLOORS.outOfScope);
  });

  it(`detects the language of at least ${FLOORS.language} of messages`, () => {
    expect(score.languageAccuracy).toBeGreaterThanOrEqual(FLOORS.language);
  });
});
