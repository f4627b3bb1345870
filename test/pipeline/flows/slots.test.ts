import { describe, expect, it } from 'vitest';
import {
  isCancel,
  isSkip,
  isUnsubscribe,
  looksLikeCompany,
  parseCompany,
  parseEmail,
  parseName,
  parsePhone,
  parseTime,
  parseYesNo,
} from '../../../src/pipeline/flows/slots.js';
import {
  plausibleRegions,
  regionOfLocaleTag,
} from '../../../src/pipeline/flows/regions.js';

describe('slot parsers', () => {
  it('emails: one valid address, lower-cased, found inside a sentence', () => {
    expect(parseEmail('Mi correo es Ana.Garcia@Ejemplo.com.')).toBe('ana.garcia@ejemplo.com');
    expect(parseEmail('ana@@ejemplo')).toBeUndefined();
    expect(parseEmail('ana@ejemplo')).toBeUndefined();
    expect(parseEmail('a@b.com or c@d.com')).toBeUndefined();
    expect(parseEmail('no tengo')).toBeUndefined();
  });

  it('emails: internationalised addresses (UTF-8 local part, Unicode domain) kept as typed', () => {
    expect(parseEmail('ana.munoz@cafeteria-lucía.es')).toBe('ana.munoz@cafeteria-lucía.es');
    expect(parseEmail('es josé.pérez@correos.es gracias')).toBe('josé.pérez@correos.es');
    expect(parseEmail('用户@例子.广告')).toBe('用户@例子.广告');
    // NFD input (a decomposed accent) is stored composed, as a person reads it.
    expect(parseEmail('ana@cafeteri\u0301a.es')).toBe('ana@cafeter\u00eda.es');
    expect(parseEmail('ana@lucía')).toBeUndefined();
    expect(parseEmail('ana@[127.0.0.1]')).toBeUndefined();
  });

  it('phones: a national number read in the plausible regions in order', () => {
    expect(parsePhone('07911 123456', ['GB', 'ES'])).toBe('+447911123456');
    expect(parsePhone('07911 123456', ['ES'])).toBeUndefined();
    expect(parsePhone('612 345 678', ['GB', 'US', 'ES'])).toBe('+34612345678');
    expect(parsePhone('+1 415 555 2671', ['ES'])).toBe('+14155552671');
  });

  it('regions: contact phone, channel number, browser country, language, DEFAULT_COUNTRY', () => {
    expect(regionOfLocaleTag('en-GB')).toBe('GB');
    expect(regionOfLocaleTag('es-419')).toBeUndefined();
    expect(regionOfLocaleTag('en')).toBeUndefined();
    expect(regionOfLocaleTag('zh-Hant-TW')).toBe('TW');
    expect(plausibleRegions({ locale: 'en', fallback: 'ES' }).slice(0, 2)).toEqual(['GB', 'US']);
    expect(plausibleRegions({ locale: 'en', fallback: 'ES' }).at(-1)).toBe('ES');
    expect(plausibleRegions({ locale: 'es', fallback: 'MX' }).slice(0, 2)).toEqual(['MX', 'ES']);
    expect(
      plausibleRegions({ contactPhone: 'IE', channelNumber: 'GB', contact: 'US', locale: 'es' }).slice(0, 4),
    ).toEqual(['IE', 'GB', 'US', 'ES']);
  });

  it('unsubscribe words and company names', () => {
    expect(isUnsubscribe('Unsubscribe')).toBe(true);
    expect(isUnsubscribe('quiero darme de baja por favor')).toBe(true);
    expect(isUnsubscribe('Ana')).toBe(false);
    expect(looksLikeCompany('Acme Widgets Ltd')).toBe(true);
    expect(looksLikeCompany('Precios Bajos S.L.')).toBe(true);
    expect(looksLikeCompany('Ana Smith')).toBe(false);
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
