import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES, featurize } from '../../../src/pipeline/nlu/features.js';

const wordFeatures = (text: string, stemming?: 'accented' | 'folded' | 'none') =>
  featurize(text, 'es', { ...DEFAULT_FEATURES, wordBigrams: false, stemming }).filter((f) =>
    f.startsWith('w '),
  );

describe('Spanish word stemming modes', () => {
  it('by default stems the accented word, so a missing accent can change the stem', () => {
    expect(wordFeatures('información')).toEqual(['w inform']);
    expect(wordFeatures('informacion')).toEqual(['w informacion']);
  });

  it("'folded' folds accents before stemming, so both spellings share one stem", () => {
    expect(wordFeatures('información', 'folded')).toEqual(wordFeatures('informacion', 'folded'));
    expect(wordFeatures('cancelación', 'folded')).toEqual(wordFeatures('cancelacion', 'folded'));
  });

  it("'none' keeps the whole folded word", () => {
    expect(wordFeatures('Recordatorios', 'none')).toEqual(['w recordatorios']);
    expect(wordFeatures('Recordatorios')).toEqual(['w recordatori']);
  });

  it('character n-grams are on accent-folded text whatever the stemming', () => {
    const chars = (t: string) =>
      featurize(t, 'es', DEFAULT_FEATURES).filter((f) => f.startsWith('c'));
    expect(chars('información')).toEqual(chars('informacion'));
  });
});
