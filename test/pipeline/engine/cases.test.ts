import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Counter } from '../../../src/kernel/db/models/counter.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { customer, recordingAdapter } from './chat.js';

describe('cases, callbacks, consent and privacy', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  it('case_status says there are no cases yet, open_case gives a CS-number, then case_status reports it', async () => {
    const marta = customer(() => app, rec, 'marta');
    const [none] = await marta.say('¿Cómo va mi caso?');
    expect(none?.text).toMatch(/No encuentro ningún caso/);

    const [askDescription] = await marta.say('Quiero abrir una incidencia');
    expect(askDescription?.awaiting).toEqual({ flow: 'open_case', slot: 'description' });
    const [askEmail] = await marta.say(
      'La factura de octubre me ha llegado duplicada y me habéis cobrado dos veces',
    );
    expect(askEmail?.awaiting).toEqual({ flow: 'open_case', slot: 'email' });
    const [opened] = await marta.say('marta@example.com');
    const number = opened?.text.match(/CS-\d{6}/)?.[0];
    expect(number).toBeDefined();
    expect(opened?.text).toContain('marta@example.com');

    const stored = await Case.findOne({ number }).lean();
    expect(stored).toMatchObject({
      type: 'support',
      status: 'open',
      email: 'marta@example.com',
      channel: 'telegram',
    });
    expect(stored?.description).toMatch(/factura de octubre/);
    expect(String(stored?.contactId)).toBe(marta.contactId());

    // The email is known now: a second case does not ask for it again.
    await marta.say('Quiero abrir otro caso de soporte');
    const [second] = await marta.say('Tampoco puedo descargar las facturas desde la web');
    const secondNumber = second?.text.match(/CS-\d{6}/)?.[0];
    expect(secondNumber).toBeDefined();
    expect(secondNumber).not.toBe(number);
    const counter = await Counter.findById('case').lean<{ seq: number }>();
    expect(counter?.seq).toBeGreaterThanOrEqual(2);

    await Case.updateOne({ number: secondNumber }, { $set: { status: 'resolved' } });
    const [status] = await marta.say('¿Cuál es el estado de mi caso?');
    expect(status?.text).toBe(`Tu caso ${secondNumber} está resuelto.`);
  });

  it('case_status in English', async () => {
    const tom = customer(() => app, rec, 'tom');
    await tom.say('I want to report a problem');
    const [opened] = await tom.say('The app crashes every time I try to upload a photo');
    expect(opened?.awaiting).toEqual({ flow: 'open_case', slot: 'email' });
    const [done] = await tom.say('tom@example.com');
    const number = done?.text.match(/CS-\d{6}/)?.[0];
    expect(done?.text).toMatch(/I've opened case CS-\d{6}/);
    const [status] = await tom.say("What's the status of my case?");
    expect(status?.text).toBe(`Your case ${number} is open.`);
  });

  it('callback_request stores a callback case with an E.164 phone and the preferred time', async () => {
    const pablo = customer(() => app, rec, 'pablo');
    const [askPhone] = await pablo.say('¿Me podéis llamar por teléfono?');
    expect(askPhone?.awaiting).toEqual({ flow: 'callback_request', slot: 'phone' });
    const [askTime] = await pablo.say('0034 612 345 678');
    expect(askTime?.awaiting).toEqual({ flow: 'callback_request', slot: 'preferred_time' });
    const [retry] = await pablo.say('depende');
    expect(retry?.awaiting).toEqual({ flow: 'callback_request', slot: 'preferred_time' });
    const [confirm] = await pablo.say('mañana a las 10');
    expect(confirm?.awaiting).toEqual({ flow: 'callback_request', slot: 'confirm' });
    expect(confirm?.text).toContain('+34612345678');
    const [done] = await pablo.say('sí');
    expect(done?.text).toMatch(/te llamaremos al \+34612345678 \(mañana a las 10\)/);
    const stored = await Case.findOne({ type: 'callback', phone: '+34612345678' }).lean();
    expect(stored?.preferredTime).toBe('mañana a las 10');
    expect(done?.text).toContain(stored!.number);
    const contact = await Contact.findById(pablo.contactId()).lean();
    expect(contact?.phones).toContain('+34612345678');
  });

  it('callback_request keeps the time given in the first message', async () => {
    const amy = customer(() => app, rec, 'amy');
    const [askPhone] = await amy.say('Can you call me back tomorrow morning?');
    expect(askPhone?.awaiting).toEqual({ flow: 'callback_request', slot: 'phone' });
    const [confirm] = await amy.say('+44 7911 123456');
    expect(confirm?.awaiting).toEqual({ flow: 'callback_request', slot: 'confirm' });
    expect(confirm?.text).toContain('When: tomorrow morning');
    const [done] = await amy.say('yes');
    expect(done?.text).toMatch(/we'll call you on \+447911123456 \(tomorrow morning\)/);
  });

  it('a shared contact card answers the phone question', async () => {
    const [ask] = await customer(() => app, rec, 'card').say('¿Me podéis llamar, por favor?');
    expect(ask?.awaiting).toEqual({ flow: 'callback_request', slot: 'phone' });
    const res = await app.charla.services.ingest.ingest({
      channel: 'telegram',
      platformMessageId: 'card-contact',
      platformUserId: 'card',
      platformConversationId: 'chat-card',
      text: '[contact: Rafa 34612000111]',
      attachments: [{ kind: 'contact', contactName: 'Rafa', contactPhone: '34612000111' }],
    });
    const reply = await eventually(async () =>
      Message.findOne({
        conversationId: res.conversationId,
        direction: 'out',
        replyTo: res.messageId,
      }).lean(),
    );
    expect(reply.awaiting).toEqual({ flow: 'callback_request', slot: 'preferred_time' });
  });

  it('unsubscribe turns marketing consent off with an audit entry', async () => {
    const lucia = customer(() => app, rec, 'lucia');
    await lucia.say('Hola');
    await Contact.updateOne(
      { _id: lucia.contactId() },
      { $set: { marketingConsent: { granted: true } } },
    );
    const [reply] = await lucia.say('No quiero recibir más publicidad, dadme de baja');
    expect(reply?.text).toMatch(/no volverás a recibir/);
    const contact = await Contact.findById(lucia.contactId()).lean();
    expect(contact?.marketingConsent?.granted).toBe(false);
    expect(contact?.marketingConsent?.updatedAt).toBeInstanceOf(Date);
    const audit = await AuditEntry.findOne({
      action: 'consent.revoke',
      targetId: lucia.contactId(),
    }).lean();
    expect(audit?.actor).toBe('customer');

    const sam = customer(() => app, rec, 'sam');
    const [en] = await sam.say('Please unsubscribe me from your marketing emails');
    expect(en?.text).toMatch(/won't receive marketing messages/);
  });

  it('privacy_request opens a privacy case and tells its number', async () => {
    const ines = customer(() => app, rec, 'ines');
    const [reply] = await ines.say('Quiero que borréis todos mis datos personales');
    const number = reply?.text.match(/CS-\d{6}/)?.[0];
    expect(reply?.text).toMatch(/solicitud de privacidad/);
    const stored = await Case.findOne({ number }).lean();
    expect(stored).toMatchObject({ type: 'privacy', status: 'open' });
    expect(String(stored?.contactId)).toBe(ines.contactId());

    const dan = customer(() => app, rec, 'dan');
    const [en] = await dan.say('I want a copy of all the personal data you hold about me');
    expect(en?.text).toMatch(/registered your privacy request as CS-\d{6}/);
  });
});
