/**
 * What the customer already said counts: slots answered by the message that started a flow are
 * not asked again, and national phone numbers take their region from DEFAULT_COUNTRY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../../src/kernel/db/models/case.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { customer, recordingAdapter } from './chat.js';

describe('slots filled from what the customer said', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  it('"me pueden llamar mañana a las 10" asks only for the phone, and a Spanish national number is accepted', async () => {
    const lucia = customer(() => app, rec, 'lucia-callback');
    const [askPhone] = await lucia.say('me pueden llamar mañana a las 10');
    expect(askPhone?.awaiting).toEqual({ flow: 'callback_request', slot: 'phone' });
    const [confirm] = await lucia.say('612345678');
    expect(confirm?.awaiting).toEqual({ flow: 'callback_request', slot: 'confirm' });
    expect(confirm?.text).toContain('+34612345678');
    expect(confirm?.text).toMatch(/mañana a las 10/);
    const [done] = await lucia.say('sí');
    expect(done?.text).toMatch(/te llamaremos al \+34612345678/);
    const stored = await Case.findOne({ conversationId: lucia.conversationId() }).lean();
    expect(stored).toMatchObject({ type: 'callback', phone: '+34612345678' });
  });

  it('in English the time is taken from the request and the phone is the only question', async () => {
    const tom = customer(() => app, rec, 'tom-callback');
    const [askPhone] = await tom.say('Could you call me back tomorrow at 10am please?');
    expect(askPhone?.awaiting).toEqual({ flow: 'callback_request', slot: 'phone' });
    const [confirm] = await tom.say('+44 7911 123456');
    expect(confirm?.awaiting).toEqual({ flow: 'callback_request', slot: 'confirm' });
    expect(confirm?.text).toMatch(/tomorrow at 10/);
  });

  it('a phone and a time in the first message leave only the confirmation', async () => {
    const ines = customer(() => app, rec, 'ines-callback');
    const [confirm] = await ines.say('Llamadme el lunes a las 11 al 612 345 678, por favor');
    expect(confirm?.awaiting).toEqual({ flow: 'callback_request', slot: 'confirm' });
    expect(confirm?.text).toContain('+34612345678');
  });
});

describe('DEFAULT_COUNTRY', () => {
  let app: TestApp;
  const rec = recordingAdapter('whatsapp');
  beforeAll(async () => {
    app = await startTestApp({ DEFAULT_COUNTRY: 'MX' }, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  it('gives national numbers their region', async () => {
    const sofia = customer(() => app, rec, 'sofia-mx');
    const [askPhone] = await sofia.say('¿Me pueden llamar mañana a las 5 de la tarde?');
    expect(askPhone?.awaiting).toEqual({ flow: 'callback_request', slot: 'phone' });
    const [confirm] = await sofia.say('55 1234 5678');
    expect(confirm?.text).toContain('+525512345678');
  });
});
