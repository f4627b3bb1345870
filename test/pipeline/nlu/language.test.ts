import { describe, expect, it } from 'vitest';
import { detectLanguage, LanguageDetector } from '../../../src/pipeline/nlu/language.js';

describe('detectLanguage', () => {
  it('recognises short chat messages in each language', () => {
    for (const t of [
      'hola',
      'gracias',
      'buenas',
      'vale',
      'adiós',
      'adios',
      'sí',
      'grax',
      'precio',
      'chao',
    ]) {
      expect({ t, lang: detectLanguage(t, 'en') }).toEqual({ t, lang: 'es' });
    }
    for (const t of ['hi', 'hello', 'thanks', 'thx', 'yes', 'bye', 'price', 'hey there']) {
      expect({ t, lang: detectLanguage(t, 'es') }).toEqual({ t, lang: 'en' });
    }
  });

  it('recognises longer sentences, with and without accents', () => {
    expect(detectLanguage('Configurar mi alarma por 60 minutos')).toBe('es');
    expect(detectLanguage('que tiempo va a hacer manana en la playa', 'en')).toBe('es');
    expect(detectLanguage('¿Cuándo abrís?', 'en')).toBe('es');
    expect(detectLanguage('How do I install Ubuntu on a USB stick?', 'es')).toBe('en');
    expect(detectLanguage('what is the weather going to be like tomorrow', 'es')).toBe('en');
  });

  it('falls back when a message carries no language evidence', () => {
    for (const t of ['ok', '👍', '1234', '', '...']) {
      expect(detectLanguage(t, 'es')).toBe('es');
      expect(detectLanguage(t, 'en')).toBe('en');
    }
  });

  it('learns from labelled phrases', () => {
    const detector = new LanguageDetector();
    const before = detector.score('zorglub zorglub');
    for (let i = 0; i < 20; i++) detector.learn('zorglub', 'es');
    expect(detector.score('zorglub zorglub')).toBeGreaterThan(before);
    expect(detector.detect('zorglub zorglub', 'en')).toBe('es');
  });
});
