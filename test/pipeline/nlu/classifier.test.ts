import { describe, expect, it } from 'vitest';
import { SoftmaxClassifier, type TrainingExample } from '../../../src/pipeline/nlu/classifier.js';

const EXAMPLES: TrainingExample[] = [
  ...['set an alarm for 7', 'wake me up at six', 'alarm at 8 am please', 'set my alarm'].map(
    (text) => ({ text, label: 'alarm', language: 'en' as const }),
  ),
  ...[
    'will it rain today',
    'weather forecast for tomorrow',
    'is it sunny outside',
    'how hot is it',
  ].map((text) => ({ text, label: 'weather', language: 'en' as const })),
  ...['pon una alarma a las 7', 'despiértame a las seis', 'alarma mañana a las 8'].map((text) => ({
    text,
    label: 'alarm',
    language: 'es' as const,
  })),
];

describe('SoftmaxClassifier', () => {
  it('classifies unseen phrasings, including typos and missing accents', () => {
    const model = SoftmaxClassifier.train(EXAMPLES);
    expect(model.labels).toEqual(['alarm', 'weather']);
    expect(model.predict('please set an alarm for 9', 'en').label).toBe('alarm');
    expect(model.predict('wether forcast', 'en').label).toBe('weather');
    expect(model.predict('despiertame a las 5', 'es').label).toBe('alarm');
  });

  it('returns a probability distribution with the top label first', () => {
    const p = SoftmaxClassifier.train(EXAMPLES).predict('is it going to rain', 'en');
    const sum = p.probabilities.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(p.probability).toBeCloseTo(Math.max(...p.probabilities), 6);
    expect(p.margin).toBeGreaterThan(0);
  });

  it('is less confident on mostly unknown text than on known text', () => {
    const model = SoftmaxClassifier.train(EXAMPLES);
    const known = model.predict('weather forecast', 'en').probability;
    const unknown = model.predict('zebra quantum xylophone weather', 'en').probability;
    expect(unknown).toBeLessThan(known);
  });

  it('is deterministic for a given seed', () => {
    const a = SoftmaxClassifier.train(EXAMPLES).predict('alarm for the weather', 'en');
    const b = SoftmaxClassifier.train(EXAMPLES).predict('alarm for the weather', 'en');
    expect(Array.from(a.probabilities)).toEqual(Array.from(b.probabilities));
  });

  it('refuses to train on nothing', () => {
    expect(() => SoftmaxClassifier.train([])).toThrow(/no examples/);
  });
});
