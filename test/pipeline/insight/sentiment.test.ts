/**
 * Direction of the sentiment score on real-looking support messages, Spanish and English: clearly
 * negative ones score at or below NEGATIVE_AT, clearly positive ones above zero, plain requests
 * in between (not negative). Measured alternatives (senticon, no clause split) got the first
 * Spanish sentence as neutral.
 */
import { describe, expect, it } from 'vitest';
import { isNegative, NEGATIVE_AT, sentimentOf } from '../../../src/pipeline/insight/sentiment.js';

const cases = {
  es: {
    negative: [
      'estoy harto, esto no funciona',
      'es una vergüenza, llevo tres días esperando',
      'horrible, nadie me responde',
      'fatal, estoy muy enfadado',
      'no me ayudáis nada, qué desastre',
    ],
    positive: [
      'muchas gracias, genial',
      'perfecto, me ha encantado el servicio',
      'gracias por la ayuda, todo bien',
      'ya funciona, gracias',
      'no tengo ningún problema, gracias',
    ],
    neutral: ['quiero abrir una incidencia', 'no puedo entrar en mi cuenta', '¿cuánto cuesta?'],
  },
  en: {
    negative: [
      'this is useless, nothing works',
      'I am really angry, terrible service',
      'nobody answers me, this is ridiculous',
      "it doesn't work, I am fed up",
      'worst experience ever',
    ],
    positive: [
      'thank you so much, great',
      'awesome, love it',
      'thanks, that helped a lot',
      'no problem, thanks',
      'it works now, thank you',
    ],
    neutral: ['I want to open a ticket', 'what are your prices', 'I cannot log in'],
  },
} as const;

describe('sentimentOf', () => {
  for (const locale of ['es', 'en'] as const) {
    const { negative, positive, neutral } = cases[locale];
    it.each(negative)(`${locale} negative: %s`, (text) => {
      expect(sentimentOf(text, locale)).toBeLessThanOrEqual(NEGATIVE_AT);
    });
    it.each(positive)(`${locale} positive: %s`, (text) => {
      expect(sentimentOf(text, locale)).toBeGreaterThan(0);
    });
    it.each(neutral)(`${locale} neither: %s`, (text) => {
      expect(isNegative(sentimentOf(text, locale))).toBe(false);
    });
  }

  it('has nothing to say about texts without words, and stays in [-1, 1]', () => {
    expect(sentimentOf('ana@example.com', 'es')).toBeNull();
    expect(sentimentOf('622 98 76 54', 'es')).toBeNull();
    expect(sentimentOf('', 'en')).toBeNull();
    expect(sentimentOf('horrible horrible horrible', 'en')).toBe(-1);
    expect(sentimentOf('genial genial genial', 'es')).toBe(1);
  });

  it('is deterministic (a replayed turn computes the same value)', () => {
    const text = 'llevo tres días esperando y nadie me ha contestado, es una vergüenza';
    expect(sentimentOf(text, 'es')).toBe(sentimentOf(text, 'es'));
    expect(isNegative(sentimentOf(text, 'es'))).toBe(true);
  });
});
