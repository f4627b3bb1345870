import { describe, expect, it } from 'vitest';
import type { TrainingExample } from '../../../src/pipeline/nlu/classifier.js';
import {
  SELECTION_CANDIDATES,
  SELECTION_MAX_EXAMPLES,
  SMALL_SET_FEATURES,
  selectClassifierOptions,
  stratifiedFolds,
} from '../../../src/pipeline/nlu/model-selection.js';

const en = (label: string, texts: string[]): TrainingExample[] =>
  texts.map((text) => ({ text, label, language: 'en' as const }));

const EXAMPLES: TrainingExample[] = [
  ...en('alarm', ['set an alarm for 7', 'wake me up at six', 'alarm at 8 am', 'set my alarm']),
  ...en('weather', ['will it rain today', 'weather for tomorrow', 'is it sunny', 'how hot is it']),
  ...en('music', ['play some jazz', 'put on music', 'play my playlist', 'next song please']),
  ...en('rare', ['cancel my subscription']),
];

describe('stratifiedFolds', () => {
  it('spreads every label over the folds and is deterministic', () => {
    const folds = stratifiedFolds(EXAMPLES, 4);
    expect([...folds]).toEqual([...stratifiedFolds(EXAMPLES, 4)]);
    for (const label of ['alarm', 'weather', 'music']) {
      const used = EXAMPLES.flatMap((e, i) => (e.label === label ? [folds[i]] : []));
      expect(new Set(used).size).toBe(4);
    }
    // Another repetition reshuffles the assignment.
    expect([...stratifiedFolds(EXAMPLES, 4, 1)]).not.toEqual([...folds]);
  });
});

describe('selectClassifierOptions', () => {
  it('scores every candidate on small sets and returns one of them over the base', () => {
    const selection = selectClassifierOptions(EXAMPLES, { epochs: 5 });
    expect(selection.scores).toHaveLength(SELECTION_CANDIDATES.length);
    for (const s of selection.scores) expect(s).toBeGreaterThan(0.3);
    const best = Math.max(...selection.scores);
    const winner = selection.scores.indexOf(best);
    const candidate = SELECTION_CANDIDATES[winner]!;
    expect(selection.options).toMatchObject({ ...candidate, epochs: 5, features: {} });
    // Small sets also get the unstemmed-word features, on top of the candidate's.
    expect(selection.options.features).toMatchObject({
      ...candidate.features,
      ...SMALL_SET_FEATURES,
    });
    expect(selectClassifierOptions(EXAMPLES, { epochs: 5 })).toEqual(selection);
  });

  it('keeps the base options for large sets and single-label sets', () => {
    const large = Array.from({ length: SELECTION_MAX_EXAMPLES }, (_, i) => EXAMPLES[i % 13]!);
    expect(selectClassifierOptions(large, { epochs: 3 })).toEqual({
      options: { epochs: 3 },
      scores: [],
    });
    const single = en('alarm', ['set an alarm', 'wake me up']);
    expect(selectClassifierOptions(single).scores).toEqual([]);
  });
});
