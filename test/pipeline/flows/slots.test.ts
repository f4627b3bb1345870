import { describe, expect, it } from 'vitest';
import {
  isCancel,
  isSkip,
  parseCompany,
  parseEmail,
  parseName,
  parsePhone,
  parseTime,
  parseYesNo,
} from '../../../src/pipeline/flows/slots.js';

describe('slot parsers', () => {
  it('emails: one valid address, lower-cased, found inside a sentence', () => {
    expect(parseEmail('Mi correo es Ana.Garcia@Ejemplo.com.')).toBe('ana.garcia@ejemplo.com');
    expect(parseEmail('ana@@ejemplo')).toBeUndefined();
    expect(parseEmail('ana@ejemplo')).toBeUndefined();
    expect(parseEmail('a@b.com or c@d.com')).toBeUndefined();
    expect(parseEmail('no tengo')).toBeUndefined();
  });

  it('phones: E.164, international prefix or a known country', () => {
    expect(parsePhone('+34 612 34 56 78')).toBe('+34612345678');
    expect(parsePhone('0034 612345678')).toBe('+34612345678');
    expect(parsePhone('mi móvil es el 612 345 678', 'ES')).toBe('+34612345678');
    expect(parsePhone('612 345 678')).toBeUndefined();
    expect(parsePhone('+34 123')).toBeUndefined();
  });

  it('names: letters only, prefixes removed, not a yes/no', () => {
    expect(parseName('Me llamo Ana García')).toBe('Ana García');
    expect(parseName("my name is Seán O'Neill")).toBe("Seán O'Neill");
    expect(parseName('ana@example.com')).toBeUndefined();
    expect(parseName('12345')).toBeUndefined();
    expect(parseName('no')).toBeUndefined();
    expect(parseName('x')).toBeUndefined();
    expect(parseName('quiero abrir una incidencia')).toBeUndefined();
    expect(parseName('María de los Ángeles')).toBe('María de los Ángeles');
  });

  it('company, time, yes/no, skip and cancel words', () => {
    expect(parseCompany('trabajo en Talleres Ruiz')).toBe('Talleres Ruiz');
    expect(parseCompany('!!!')).toBeUndefined();
    expect(parseTime('mañana a las 10', 'es')).toBe('mañana a las 10');
    expect(parseTime('tomorrow at 5pm', 'en')).toBe('tomorrow at 5pm');
    expect(parseTime('in the afternoon', 'en')).toBe('in the afternoon');
    expect(parseTime('after lunch', 'en')).toBe('after lunch');
    expect(parseTime('después de comer', 'es')).toBe('después de comer');
    expect(parseTime('banana', 'en')).toBeUndefined();
    expect(parseYesNo('Sí')).toBe(true);
    expect(parseYesNo('yes please')).toBe(true);
    expect(parseYesNo('No, gracias')).toBe(false);
    expect(parseYesNo('quizás')).toBeUndefined();
    expect(isSkip('Saltar')).toBe(true);
    expect(isSkip('paso')).toBe(true);
    expect(isSkip('Skip')).toBe(true);
    expect(isSkip('Talleres')).toBe(false);
    expect(isCancel('Cancelar')).toBe(true);
    expect(isCancel('cancel please')).toBe(true);
    expect(isCancel('quiero cancelar mi pedido')).toBe(false);
    expect(isCancel('No, mejor cancela')).toBe(true);
    expect(isCancel('actually, cancel that')).toBe(true);
    expect(isCancel('cancel my subscription')).toBe(false);
    expect(isCancel('ok stop')).toBe(true);
  });
});
