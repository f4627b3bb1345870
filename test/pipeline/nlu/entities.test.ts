import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../../src/pipeline/nlu/entities.js';

// chrono resolves in the process's local time zone, so expectations are built in local time too.
const local = (month: number, day: number, hour: number, minute = 0) =>
  new Date(2026, month - 1, day, hour, minute).toISOString();
const NOW = new Date(2026, 10, 23, 14, 0); // a Monday

describe('extractEntities', () => {
  it('finds e-mail addresses, lower-cased', () => {
    expect(
      extractEntities('escríbeme a Ana.Garcia+crm@Example.co.uk, gracias', 'es').emails,
    ).toEqual(['ana.garcia+crm@example.co.uk']);
    expect(extractEntities('no email here @ all', 'en').emails).toBeUndefined();
  });

  it('normalises phones to E.164 with a per-language default region', () => {
    expect(extractEntities('mi móvil es 612 345 678', 'es').phones).toEqual(['+34612345678']);
    expect(extractEntities('call me at (415) 555-0132', 'en').phones).toEqual(['+14155550132']);
    // An explicit country code always wins over the default region.
    expect(extractEntities('my UK number is +44 20 7946 0958', 'en').phones).toEqual([
      '+442079460958',
    ]);
    expect(extractEntities('mi número es +1 415 555 0132', 'es').phones).toEqual(['+14155550132']);
    expect(
      extractEntities('llámame al 612 345 678', 'es', { defaultRegion: 'US' }).phones,
    ).toBeUndefined();
  });

  it('does not read invalid digit strings, case numbers or e-mails as phones', () => {
    expect(extractEntities('el código es 12', 'es').phones).toBeUndefined();
    expect(extractEntities('mi caso es CS-612345678', 'es').phones).toBeUndefined();
    expect(extractEntities('612345678@example.com', 'es').phones).toBeUndefined();
  });

  it('resolves Spanish dates and times relative to now', () => {
    expect(extractEntities('llámame mañana a las 10:30', 'es', { now: NOW }).dates).toEqual([
      local(11, 24, 10, 30),
    ]);
    expect(extractEntities('el 3 de diciembre a las 17:00', 'es', { now: NOW }).dates).toEqual([
      local(12, 3, 17),
    ]);
  });

  it('resolves English dates and times relative to now', () => {
    expect(extractEntities('call me tomorrow at 5pm', 'en', { now: NOW }).dates).toEqual([
      local(11, 24, 17),
    ]);
    // Forward-dated: "friday" on a Monday is this week's Friday, not last week's.
    expect(extractEntities('friday at 9am works', 'en', { now: NOW }).dates).toEqual([
      local(11, 27, 9),
    ]);
  });

  it('does not read a phone number as a date', () => {
    const e = extractEntities('mi teléfono es 612 345 678', 'es', { now: NOW });
    expect(e.dates).toBeUndefined();
    expect(e.phones).toEqual(['+34612345678']);
  });

  it('finds case numbers, upper-cased and zero-padded', () => {
    expect(extractEntities('¿cómo va el cs-000042?', 'es').caseNumbers).toEqual(['CS-000042']);
    expect(
      extractEntities('cases CS-000007 and CS-123456 and CS-000007', 'en').caseNumbers,
    ).toEqual(['CS-000007', 'CS-123456']);
    expect(extractEntities('case cs42', 'en').caseNumbers).toEqual(['CS-000042']);
    expect(extractEntities('my PCS-1 is broken', 'en').caseNumbers).toBeUndefined();
  });

  it('finds other ticket, order and return references after the CS- numbers', () => {
    expect(extractEntities('¿hay novedades del ticket #7790?', 'es').caseNumbers).toEqual([
      '#7790',
    ]);
    expect(
      extractEntities('incidencia INC-55410, devolución rma 30118 y caso cs-2265', 'es')
        .caseNumbers,
    ).toEqual(['CS-002265', 'INC-55410', 'RMA-30118']);
    expect(extractEntities('order ORD-2291 please', 'en').caseNumbers).toEqual(['ORD-2291']);
    // Lower-case codes without a known prefix, bare numbers and prices are not references.
    expect(extractEntities('abc-1234 and 49.99 and order 73390', 'en').caseNumbers).toBeUndefined();
  });

  it('does not read a reference as a phone number or a date', () => {
    const e = extractEntities('mi incidencia es INC-612345678', 'es');
    expect(e.phones).toBeUndefined();
    expect(e.caseNumbers).toEqual(['INC-612345678']);
  });

  it('returns no entities for plain text', () => {
    expect(extractEntities('hola, ¿qué tal?', 'es')).toEqual({});
  });
});
